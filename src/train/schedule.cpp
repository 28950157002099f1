#include "train/schedule.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cmath>

namespace tfm {

double noam_rate(std::uint64_t step, std::uint64_t d_model, std::uint64_t warmup, double scale) {
    require(step >= 1 && d_model >= 1 && warmup >= 1,
            "noam_rate: step, d_model and warmup must be at least 1");
    const double s = static_cast<double>(step);
    const double w = static_cast<double>(warmup);
    return scale * std::pow(static_cast<double>(d_model), -0.5) *
           std::min(std::pow(s, -0.5), s * std::pow(w, -1.5));
}

double linear_warmup_decay_rate(std::uint64_t step, std::uint64_t steps, std::uint64_t warmup,
                                double peak) {
    if (step <= warmup) return peak * static_cast<double>(step) / static_cast<double>(warmup);
    return peak * static_cast<double>(steps - step + 1) / static_cast<double>(steps - warmup + 1);
}

}  // namespace tfm
