// Eigenvalues and the spectral radius of a square matrix, and rescaling a matrix to a
// chosen spectral radius — how lesson 08 dials an RNN between vanishing and exploding.
//   ρ(W) = max_i |λ_i(W)|         (λ_i complex in general: W is not symmetric)
//   rescale(W, ρ) = W · ρ / ρ(W)  (scaling W scales every eigenvalue by the same factor)
// Powers of W grow or shrink like ρ(W)^k (Gelfand: ‖W^k‖^{1/k} → ρ(W)), which is why ρ,
// not a norm of W, decides the long-distance behaviour of BPTT in a linear RNN.
#pragma once
#include <armadillo>
#include <vector>

namespace tfm {

// All eigenvalues of a square real matrix (LAPACK's dgeev through arma::eig_gen),
// sorted by decreasing modulus. InputError if `a` is not square or LAPACK fails.
arma::cx_vec eigenvalues(const arma::mat& a);

// max |λ_i(a)|.
double spectral_radius(const arma::mat& a);

// a · rho / ρ(a), so that the result's spectral radius is rho.
// InputError if rho ≤ 0 (or not finite) or if ρ(a) = 0 (a nilpotent matrix has no scale).
arma::mat rescale_to_spectral_radius(const arma::mat& a, double rho);

// ‖J_{T−1} · J_{T−2} ⋯ J_{T−k}‖₂ for k = 0 … T (k = 0: the identity, norm 1), given the
// per-step Jacobians J_t = ∂h_t/∂h_{t−1} in time order. Entry k bounds how much a
// gradient at the last step can reach back k steps. Once the product overflows, the
// remaining entries are +inf.
arma::vec jacobian_product_norms(const std::vector<arma::mat>& jacobians);

}  // namespace tfm
