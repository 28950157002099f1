#include "rnn/spectral.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/shape.hpp"

#include <cmath>
#include <string>

namespace tfm {

arma::cx_vec eigenvalues(const arma::mat& a) {
    require(a.is_square() && !a.is_empty(),
            tr("eigenvalues need a non-empty square matrix, got {1}", shape_string(a)));
    arma::cx_vec lambda;
    require(arma::eig_gen(lambda, a), tr("LAPACK could not compute the eigenvalues"));
    const arma::uvec order = arma::sort_index(arma::abs(lambda), "descend");
    return lambda(order);
}

double spectral_radius(const arma::mat& a) { return arma::max(arma::abs(eigenvalues(a))); }

arma::mat rescale_to_spectral_radius(const arma::mat& a, double rho) {
    require(std::isfinite(rho) && rho > 0.0,
            tr("spectral radius must be > 0, got {1}", std::to_string(rho)));
    const double current = spectral_radius(a);
    require(current > 0.0, tr("cannot rescale a matrix whose spectral radius is 0"));
    return a * (rho / current);
}

arma::vec jacobian_product_norms(const std::vector<arma::mat>& jacobians) {
    arma::vec norms(jacobians.size() + 1);
    norms(0) = 1.0;
    if (jacobians.empty()) return norms;
    // Gradients flow as rows from the last step back: dh_{T−k} = dh_T · J_{T−1} ⋯ J_{T−k}.
    arma::mat product = arma::eye(jacobians.back().n_rows, jacobians.back().n_rows);
    for (std::size_t k = 1; k <= jacobians.size(); ++k) {
        product = product * jacobians[jacobians.size() - k];
        if (!product
                 .is_finite()) {  // overflowed (ρ > 1 over many steps): so is every longer product
            norms.tail(norms.n_elem - k).fill(arma::datum::inf);
            break;
        }
        norms(k) = arma::norm(product, 2);
    }
    return norms;
}

}  // namespace tfm
