// Gradient checks for the encoder, decoder and Transformer tests: every parameter in a
// ParamList against central finite differences (param_gradcheck.hpp's rule: relative
// error ≤ kGradTolerance, or absolute ≤ kZeroGradient for gradients that are exactly zero
// in exact arithmetic), returning the worst relative error so the tests can report it.
#pragma once
#include "param_gradcheck.hpp"

#include <functional>
#include <string>

namespace tfm::test::stacks {

inline double check_param_grads_worst(const ParamList& params, const std::function<double()>& loss,
                                      double h = 1e-6) {
    REQUIRE(!params.empty());
    double worst = 0.0;
    for (const Param& p : params) {
        const arma::mat analytic = *p.grad;
        const arma::mat numeric = numeric_grad(loss, *p.value, h);
        const GradError e = gradient_error(analytic, numeric);
        INFO("parameter " << p.name << ": " << e.kind << " error " << e.error << "\nanalytic\n"
                          << analytic << "numeric\n"
                          << numeric);
        CHECK(e.error <= e.limit);
        if (e.limit == kGradTolerance && e.error > worst) worst = e.error;
    }
    return worst;
}

}  // namespace tfm::test::stacks
