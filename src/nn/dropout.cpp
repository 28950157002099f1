#include "nn/dropout.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"

#include <string>

namespace tfm {

void Dropout::set(double rate, std::mt19937_64* rng) {
    require(rate >= 0 && rate < 1,
            [&] { return tr("a dropout rate must be in [0, 1), got {1}", std::to_string(rate)); });
    rate_ = rate;
    rng_ = rng;
}

arma::mat Dropout::forward(const arma::mat& x) {
    if (!on()) {
        scale_.reset();
        return x;
    }
    std::bernoulli_distribution keep(1.0 - rate_);
    const double kept = 1.0 / (1.0 - rate_);
    scale_.set_size(arma::size(x));
    for (double& s : scale_) s = keep(*rng_) ? kept : 0.0;
    return x % scale_;
}

arma::mat Dropout::backward(const arma::mat& dy) const {
    if (scale_.is_empty()) return dy;
    require(arma::size(dy) == arma::size(scale_),
            "Dropout::backward: dy does not match the last forward");
    return dy % scale_;
}

}  // namespace tfm
