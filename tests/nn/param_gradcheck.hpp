// Shared by the layer tests: finite-difference checks of every parameter in a
// module's ParamList, and of the params()/shapes() agreement.
#pragma once
#include "core/params.hpp"
#include "support/gradcheck.hpp"

#include "support/catch.hpp"

#include <algorithm>
#include <functional>

namespace tfm::test {

// Some gradients are exactly zero in exact arithmetic — the key bias of attention adds
// q·b_k to every score of a row, which softmax ignores — and then both sides are rounding
// noise (~1e-17 analytic, ~1e-11 numeric) whose relative error means nothing. When both
// norms are below this floor, the check is absolute: ‖analytic − numeric‖ ≤ the floor.
constexpr double kZeroGradient = 1e-8;

// The error to compare and the limit it must not exceed: relative_error against
// kGradTolerance, or, when both gradients are zero up to noise, the absolute difference
// against kZeroGradient.
struct GradError {
    double error, limit;
    const char* kind;
};
inline GradError gradient_error(const arma::mat& analytic, const arma::mat& numeric) {
    const double scale = std::max(arma::norm(analytic, "fro"), arma::norm(numeric, "fro"));
    if (scale < kZeroGradient)
        return {arma::norm(analytic - numeric, "fro"), kZeroGradient, "absolute (zero gradient)"};
    return {relative_error(analytic, numeric), kGradTolerance, "relative"};
}

// For each parameter: the gradient backward() left in p.grad must match central
// differences of `loss` (which reruns the forward pass) within kGradTolerance.
inline void check_param_grads(const ParamList& params, const std::function<double()>& loss) {
    REQUIRE(!params.empty());
    for (const Param& p : params) {
        const arma::mat analytic = *p.grad;
        const arma::mat numeric = numeric_grad(loss, *p.value);
        const GradError e = gradient_error(analytic, numeric);
        INFO("parameter " << p.name << ": " << e.kind << " error " << e.error);
        INFO("analytic\n" << analytic << "numeric\n" << numeric);
        CHECK(e.error <= e.limit);
    }
}

// Checks an input gradient the same way.
inline void check_input_grad(const std::string& name, const arma::mat& analytic, arma::mat& input,
                             const std::function<double()>& loss) {
    const arma::mat numeric = numeric_grad(loss, input);
    const GradError e = gradient_error(analytic, numeric);
    INFO("d" << name << ": " << e.kind << " error " << e.error);
    INFO("analytic\n" << analytic << "numeric\n" << numeric);
    CHECK(e.error <= e.limit);
}

// params() and shapes() list the same names with the same shapes, in the same order.
inline void check_shapes_match(const ParamList& params, const ShapeList& shapes) {
    REQUIRE(params.size() == shapes.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
        const Param& p = params[i];
        const std::vector<std::uint64_t> actual =
            p.is_vector ? std::vector<std::uint64_t>{p.value->n_elem}
                        : std::vector<std::uint64_t>{p.value->n_rows, p.value->n_cols};
        INFO("parameter " << i << ": " << p.name << " vs " << shapes[i].name);
        CHECK(p.name == shapes[i].name);
        CHECK(actual == shapes[i].shape);
        CHECK(arma::size(*p.grad) == arma::size(*p.value));
        if (p.is_vector) CHECK(p.value->n_rows == 1);
    }
    CHECK(count_params(params) == count_params(shapes));
}

}  // namespace tfm::test
