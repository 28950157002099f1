// Ordinary least-squares line through points (x_i, y_i):
//   slope = Σ (x − x̄)(y − ȳ) / Σ (x − x̄)²,  intercept = ȳ − slope · x̄
//   r² = 1 − Σ (y − ŷ)² / Σ (y − ȳ)²  (1 for a perfect line)
// Lesson 08 fits ln ‖∂L/∂x_t‖ against distance: the slope is the log of the per-step
// decay factor, to compare with ln ρ.
#pragma once
#include <armadillo>

namespace tfm {

struct LineFit {
    double slope = 0.0;
    double intercept = 0.0;
    double r2 = 0.0;
};

// InputError unless x and y have the same length ≥ 2 and x is not constant.
LineFit fit_line(const arma::vec& x, const arma::vec& y);

}  // namespace tfm
