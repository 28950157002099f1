#include "analysis/line_fit.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"

namespace tfm {

LineFit fit_line(const arma::vec& x, const arma::vec& y) {
    require(x.n_elem == y.n_elem && x.n_elem >= 2, tr("a line fit needs two or more (x, y) pairs"));
    const arma::vec dx = x - arma::mean(x);
    const arma::vec dy = y - arma::mean(y);
    const double sxx = arma::dot(dx, dx);
    require(sxx > 0.0, tr("a line fit needs at least two different x values"));
    LineFit fit;
    fit.slope = arma::dot(dx, dy) / sxx;
    fit.intercept = arma::mean(y) - fit.slope * arma::mean(x);
    const arma::vec residual = y - (fit.intercept + fit.slope * x);
    const double syy = arma::dot(dy, dy);
    fit.r2 = syy > 0.0 ? 1.0 - arma::dot(residual, residual) / syy : 1.0;
    return fit;
}

}  // namespace tfm
