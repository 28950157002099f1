#include "support/gradcheck.hpp"

#include <algorithm>

namespace tfm::test {

arma::mat numeric_grad(const std::function<double()>& loss, arma::mat& x, double h) {
    arma::mat grad(arma::size(x), arma::fill::zeros);
    for (arma::uword i = 0; i < x.n_elem; ++i) {
        const double saved = x(i);
        x(i) = saved + h;
        const double plus = loss();
        x(i) = saved - h;
        const double minus = loss();
        x(i) = saved;
        grad(i) = (plus - minus) / (2.0 * h);
    }
    return grad;
}

double relative_error(const arma::mat& analytic, const arma::mat& numeric) {
    const double scale =
        std::max({arma::norm(analytic, "fro"), arma::norm(numeric, "fro"), 1e-300});
    return arma::norm(analytic - numeric, "fro") / scale;
}

}  // namespace tfm::test
