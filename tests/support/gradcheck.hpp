// Central finite differences for gradient checks (double precision).
//
//   numeric_grad(loss, x, h)[i] = (loss(x + h·e_i) − loss(x − h·e_i)) / 2h
//
// `loss` must recompute the forward pass from scratch each call (it reads x through
// the reference it captured). The usual loss is L = Σ y ⊙ G for a fixed random G, so
// that dL/dy = G is what backward() receives.
#pragma once
#include <armadillo>
#include <functional>

namespace tfm::test {

// Perturbs each element of x in place (and restores it).
arma::mat numeric_grad(const std::function<double()>& loss, arma::mat& x, double h = 1e-6);

// ‖analytic − numeric‖_F / max(‖analytic‖_F, ‖numeric‖_F, 1e-300):
// 0 when both are zero; ≲ 1e-8 for a correct backward with h = 1e-6 in double.
double relative_error(const arma::mat& analytic, const arma::mat& numeric);

// The tolerance every gradient check in the course states and uses.
constexpr double kGradTolerance = 1e-6;

}  // namespace tfm::test
