#include "analysis/matrix_stats.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace tfm {

double max_abs_diff(const arma::mat& a, const arma::mat& b) {
    if (a.n_rows != b.n_rows || a.n_cols != b.n_cols)
        throw std::invalid_argument("max_abs_diff: shapes " + std::to_string(a.n_rows) + "×" +
                                    std::to_string(a.n_cols) + " and " + std::to_string(b.n_rows) +
                                    "×" + std::to_string(b.n_cols) + " differ");
    if (a.is_empty()) return 0.0;
    return arma::abs(a - b).max();
}

double fraction_zero(const arma::mat& m) {
    if (m.is_empty()) return 0.0;
    return static_cast<double>(arma::accu(m == 0.0)) / static_cast<double>(m.n_elem);
}

double fraction_negative(const arma::mat& m) {
    if (m.is_empty()) return 0.0;
    return static_cast<double>(arma::accu(m < 0.0)) / static_cast<double>(m.n_elem);
}

arma::rowvec row_means(const arma::mat& m) {
    const arma::colvec mean = arma::mean(m, 1);
    return mean.t();
}

arma::rowvec row_variances(const arma::mat& m) {
    // var(X, norm_type = 1, dim = 1): divide by N, one value per row.
    const arma::colvec var = arma::var(m, 1, 1);
    return var.t();
}

double rms(const arma::mat& m) {
    if (m.is_empty()) return 0.0;
    return std::sqrt(arma::accu(arma::square(m)) / static_cast<double>(m.n_elem));
}

double finite_variance(const arma::mat& m) {
    double sum = 0.0, sum_sq = 0.0;
    std::size_t count = 0;
    for (const double x : m)
        if (std::isfinite(x)) {
            sum += x;
            ++count;
        }
    if (count == 0) return 0.0;
    const double mean = sum / static_cast<double>(count);
    for (const double x : m)
        if (std::isfinite(x)) sum_sq += (x - mean) * (x - mean);
    return sum_sq / static_cast<double>(count);
}

double mean_row_max(const arma::mat& m) {
    if (m.is_empty()) return 0.0;
    return arma::mean(arma::max(m, 1));
}

}  // namespace tfm
