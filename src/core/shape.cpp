#include "core/shape.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"

#include <cmath>

namespace tfm {

std::string shape_string(arma::uword rows, arma::uword cols) {
    return std::to_string(rows) + " × " + std::to_string(cols);
}

void require_finite(const std::string& what, const arma::mat& m) {
    if (m.is_finite()) return;
    for (arma::uword i = 0; i < m.n_rows; ++i)
        for (arma::uword j = 0; j < m.n_cols; ++j)
            if (!std::isfinite(m(i, j)))
                throw InputError(
                    tr("{1}: entry [{2}, {3}] is {4}; every entry must be a finite "
                       "number",
                       what, i, j,
                       std::isnan(m(i, j)) ? "nan"
                       : m(i, j) > 0       ? "inf"
                                           : "-inf"));
}

void require_matrix(const std::string& what, const arma::mat& m, arma::uword rows, arma::uword cols,
                    const std::string& need) {
    const bool rows_fit = rows == 0 ? m.n_rows >= 1 : m.n_rows == rows;
    require(rows_fit && m.n_cols == cols, tr("{1} is {2}, need {3}", what, shape_string(m), need));
    require_finite(what, m);
}

}  // namespace tfm
