// Gradient checks shared by the encoder, decoder and Transformer tests: every parameter
// in a ParamList against central finite differences of a scalar loss.
#pragma once
#include "core/params.hpp"
#include "support/gradcheck.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <string>

namespace tfm::test {

// Below this Frobenius norm a gradient counts as zero (see check_param_grads). It sits
// above the noise floor of a central difference, ε·|L|/h ≈ 2e-16 · O(1) / 1e-6 ≈ 1e-9 per
// element, and far below any real gradient here (order 0.01 … 1).
constexpr double kZeroGradient = 1e-8;

// `loss` runs the forward pass from scratch; `analytic` must already hold the gradients
// (zero_grad, forward, backward). Checks each parameter against kGradTolerance and
// returns the worst relative error seen (reported by the caller).
inline double check_param_grads(const ParamList& params, const std::function<double()>& loss) {
    double worst = 0.0;
    for (const Param& p : params) {
        const arma::mat analytic = *p.grad;
        const arma::mat numeric = numeric_grad(loss, *p.value);
        // Some gradients are exactly zero in exact arithmetic: the key bias bk adds q·bk to
        // every score of a row, and softmax ignores a per-row shift. Then backward returns
        // round-off (~1e-17) and the numeric gradient its noise (~1e-9), and a relative error means
        // nothing; both must instead be zero to within kZeroGradient absolutely.
        const double scale = std::max(arma::norm(analytic, "fro"), arma::norm(numeric, "fro"));
        if (scale < kZeroGradient) {
            INFO("parameter " << p.name << ": a zero gradient, |analytic - numeric| = "
                              << arma::norm(analytic - numeric, "fro"));
            CHECK(arma::norm(analytic - numeric, "fro") <= kZeroGradient);
            continue;
        }
        const double err = relative_error(analytic, numeric);
        INFO("parameter " << p.name << ": relative error " << err << "\nanalytic\n"
                          << analytic << "numeric\n" << numeric);
        CHECK(err <= kGradTolerance);
        if (err > worst) worst = err;
    }
    return worst;
}

}  // namespace tfm::test
