#include "ops/rope.hpp"

#include "core/error.hpp"

#include <cmath>

namespace tfm {

RopeLayout rope_layout(const std::string& name) {
    if (name == "interleaved") return RopeLayout::interleaved;
    if (name == "half-split") return RopeLayout::half_split;
    throw InputError("unknown RoPE layout '" + name + "' (interleaved or half-split)");
}

std::string to_string(RopeLayout layout) {
    return layout == RopeLayout::interleaved ? "interleaved" : "half-split";
}

arma::rowvec rope_frequencies(arma::uword d_k, double base) {
    require(d_k > 0 && d_k % 2 == 0,
            "RoPE rotates pairs of columns: d_k = " + std::to_string(d_k) + " is not even");
    arma::rowvec theta(d_k / 2);
    for (arma::uword i = 0; i < d_k / 2; ++i)
        theta(i) = std::pow(base, -2.0 * static_cast<double>(i) / static_cast<double>(d_k));
    return theta;
}

arma::mat rope_rotate(const arma::mat& x, RopeLayout layout, arma::uword first_position,
                      bool inverse, double base) {
    const arma::rowvec theta = rope_frequencies(x.n_cols, base);
    const arma::uword half = x.n_cols / 2;
    const double sign = inverse ? -1.0 : 1.0;
    arma::mat y(arma::size(x));
    for (arma::uword r = 0; r < x.n_rows; ++r) {
        const double t = static_cast<double>(first_position + r);
        for (arma::uword i = 0; i < half; ++i) {
            // Pair i: columns (2i, 2i+1) interleaved, (i, i + d_k/2) half-split.
            const arma::uword a = layout == RopeLayout::interleaved ? 2 * i : i;
            const arma::uword b = layout == RopeLayout::interleaved ? 2 * i + 1 : i + half;
            const double c = std::cos(t * theta(i)), s = sign * std::sin(t * theta(i));
            y(r, a) = x(r, a) * c - x(r, b) * s;
            y(r, b) = x(r, a) * s + x(r, b) * c;
        }
    }
    return y;
}

std::vector<arma::uword> rope_layout_permutation(arma::uword d_k) {
    rope_frequencies(d_k);  // d_k even
    const arma::uword half = d_k / 2;
    std::vector<arma::uword> permutation(d_k);
    for (arma::uword r = 0; r < d_k; ++r) permutation[r] = r < half ? 2 * r : 2 * (r - half) + 1;
    return permutation;
}

}  // namespace tfm
