#include "ops/alibi.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"

#include <cmath>

namespace tfm {

namespace {

// 2^(−8(j+1)/n), j = 0 … n − 1, for n a power of two.
arma::rowvec power_of_two_slopes(arma::uword n) {
    arma::rowvec m(n);
    for (arma::uword j = 0; j < n; ++j)
        m(j) = std::pow(2.0, -8.0 * static_cast<double>(j + 1) / static_cast<double>(n));
    return m;
}

}  // namespace

arma::rowvec alibi_slopes(arma::uword num_heads) {
    require(num_heads > 0, [&] { return tr("ALiBi needs at least one head"); });
    arma::uword below = 1;
    while (below * 2 <= num_heads) below *= 2;
    arma::rowvec slopes = power_of_two_slopes(below);
    if (below == num_heads) return slopes;
    const arma::rowvec next = power_of_two_slopes(2 * below);
    arma::rowvec all(num_heads);
    all.head(below) = slopes;
    for (arma::uword j = below; j < num_heads; ++j) all(j) = next(2 * (j - below));
    return all;
}

arma::mat alibi_bias(arma::uword n_q, arma::uword n_k, double slope) {
    arma::mat bias(n_q, n_k);
    for (arma::uword t = 0; t < n_k; ++t)
        for (arma::uword i = 0; i < n_q; ++i)
            bias(i, t) = -slope * std::abs(static_cast<double>(i) - static_cast<double>(t));
    return bias;
}

}  // namespace tfm
