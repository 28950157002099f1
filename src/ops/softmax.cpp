#include "ops/softmax.hpp"

#include "core/error.hpp"
#include "core/shape.hpp"

#include <cmath>
#include <string>

namespace tfm {

namespace {

// s − max, except that a +∞ logit takes all the weight (shared with any other +∞)
// instead of producing ∞ − ∞ = NaN.
double shift(double s, double row_max) {
    if (std::isinf(row_max)) return s == row_max ? 0.0 : -arma::datum::inf;
    return s - row_max;
}

}  // namespace

arma::mat softmax_rows(const arma::mat& scores, const Mask& mask) {
    const bool masked = !mask.is_empty();
    require(!masked || (mask.n_rows == scores.n_rows && mask.n_cols == scores.n_cols),
            "mask is " + shape_string(mask) + " but the scores are " + shape_string(scores));
    const auto open = [&](arma::uword i, arma::uword j) { return !masked || mask.at(i, j) == 0; };
    const arma::uword n = scores.n_rows, m = scores.n_cols;

    // Armadillo stores a matrix column after column, so each pass walks down the columns
    // and keeps one running value per row (its maximum, then its total).
    arma::colvec row_max(n);
    row_max.fill(-arma::datum::inf);
    for (arma::uword j = 0; j < m; ++j)
        for (arma::uword i = 0; i < n; ++i)
            if (open(i, j)) row_max.at(i) = std::max(row_max.at(i), scores.at(i, j));

    // exp(s − max) ≤ 1 cannot overflow. A blocked position, and every position of a row
    // with all of them blocked (max −∞), gets 0 — never 0/0 = NaN.
    arma::mat weights(n, m);
    arma::colvec total(n, arma::fill::zeros);
    for (arma::uword j = 0; j < m; ++j) {
        const double* s = scores.colptr(j);
        double* w = weights.colptr(j);
        for (arma::uword i = 0; i < n; ++i) {
            const bool live = open(i, j) && row_max.at(i) != -arma::datum::inf;
            w[i] = live ? std::exp(shift(s[i], row_max.at(i))) : 0.0;
            total.at(i) += w[i];
        }
    }
    for (arma::uword j = 0; j < m; ++j) {
        double* w = weights.colptr(j);
        for (arma::uword i = 0; i < n; ++i)
            if (total.at(i) > 0.0) w[i] /= total.at(i);
    }
    return weights;
}

arma::mat softmax_rows_backward(const arma::mat& weights, const arma::mat& dweights) {
    require(arma::size(weights) == arma::size(dweights),
            "softmax backward: dweights must have the shape of weights");
    // Jacobian of one row: ∂w_j/∂s_k = w_j (δ_jk − w_k), so
    // ds_k = w_k (dw_k − Σ_j w_j dw_j). Where w = 0 (blocked), ds = 0.
    const arma::colvec expected = arma::sum(weights % dweights, 1);
    arma::mat centered = dweights.each_col() - expected;
    return weights % centered;
}

}  // namespace tfm
