// The 2017 paper's learning-rate schedule (Vaswani et al., §5.3):
//   lrate = scale · d_model^−0.5 · min(step^−0.5, step · warmup^−1.5)      step = 1, 2, …
// It rises linearly for the first `warmup` steps, peaks at step = warmup with
// scale / √(d_model · warmup), then decays as 1/√step.
#pragma once
#include <cstdint>

namespace tfm {

double noam_rate(std::uint64_t step, std::uint64_t d_model, std::uint64_t warmup,
                 double scale = 1.0);

}  // namespace tfm
