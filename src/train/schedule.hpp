// The 2017 paper's learning-rate schedule (Vaswani et al., §5.3):
//   lrate = scale · d_model^−0.5 · min(step^−0.5, step · warmup^−1.5)      step = 1, 2, …
// It rises linearly for the first `warmup` steps, peaks at step = warmup with
// scale / √(d_model · warmup), then decays as 1/√step.
#pragma once
#include <cstdint>

namespace tfm {

double noam_rate(std::uint64_t step, std::uint64_t d_model, std::uint64_t warmup,
                 double scale = 1.0);

// Linear warm-up to `peak` over the first `warmup` steps, then a linear decay that reaches
// peak / (steps − warmup + 1) at the last step (lessons 13 and 14):
//   step ≤ warmup: peak · step / warmup;  else peak · (steps − step + 1) / (steps − warmup + 1)
double linear_warmup_decay_rate(std::uint64_t step, std::uint64_t steps, std::uint64_t warmup,
                                double peak);

}  // namespace tfm
