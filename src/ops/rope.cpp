#include "ops/rope.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "ops/sequence_rows.hpp"

#include <cmath>

namespace tfm {

RopeLayout rope_layout(const std::string& name) {
    if (name == "interleaved") return RopeLayout::interleaved;
    if (name == "half-split") return RopeLayout::half_split;
    throw InputError(tr("unknown RoPE layout '{1}' (interleaved or half-split)", name));
}

std::string to_string(RopeLayout layout) {
    return layout == RopeLayout::interleaved ? "interleaved" : "half-split";
}

arma::rowvec rope_frequencies(arma::uword d_k, double base) {
    require(d_k > 0 && d_k % 2 == 0,
            [&] { return tr("RoPE rotates pairs of columns: d_k = {1} is not even", d_k); });
    arma::rowvec theta(d_k / 2);
    for (arma::uword i = 0; i < d_k / 2; ++i)
        theta(i) = std::pow(base, -2.0 * static_cast<double>(i) / static_cast<double>(d_k));
    return theta;
}

namespace {

// cos tθ_i and sign · sin tθ_i for t = first_position … first_position + rows − 1 [rows × d_k/2].
struct RopeAngles {
    arma::mat cos, sin;
};

RopeAngles rope_angles(arma::uword rows, arma::uword d_k, arma::uword first_position, bool inverse,
                       double base) {
    const arma::rowvec theta = rope_frequencies(d_k, base);
    const double sign = inverse ? -1.0 : 1.0;
    RopeAngles a{arma::mat(rows, d_k / 2), arma::mat(rows, d_k / 2)};
    for (arma::uword i = 0; i < d_k / 2; ++i)
        for (arma::uword r = 0; r < rows; ++r) {
            const double t = static_cast<double>(first_position + r);
            a.cos(r, i) = std::cos(t * theta(i));
            a.sin(r, i) = sign * std::sin(t * theta(i));
        }
    return a;
}

// Rotates, in place, the rows first_row … of columns first_col … first_col + d_k − 1 of x,
// row first_row + r by the angles of row r.
void rotate_block(arma::mat& x, arma::uword first_row, arma::uword first_col, RopeLayout layout,
                  const RopeAngles& angles) {
    const arma::uword half = angles.cos.n_cols;
    for (arma::uword i = 0; i < half; ++i) {
        // Pair i: columns (2i, 2i+1) interleaved, (i, i + d_k/2) half-split.
        const arma::uword a = first_col + (layout == RopeLayout::interleaved ? 2 * i : i);
        const arma::uword b =
            first_col + (layout == RopeLayout::interleaved ? 2 * i + 1 : i + half);
        for (arma::uword r = 0; r < angles.cos.n_rows; ++r) {
            const double c = angles.cos(r, i), s = angles.sin(r, i);
            const double xa = x(first_row + r, a), xb = x(first_row + r, b);
            x(first_row + r, a) = xa * c - xb * s;
            x(first_row + r, b) = xa * s + xb * c;
        }
    }
}

}  // namespace

arma::mat rope_rotate(const arma::mat& x, RopeLayout layout, arma::uword first_position,
                      bool inverse, double base) {
    const RopeAngles angles = rope_angles(x.n_rows, x.n_cols, first_position, inverse, base);
    arma::mat y = x;
    rotate_block(y, 0, 0, layout, angles);
    return y;
}

void rope_rotate_heads(arma::mat& x, arma::uword d_k, arma::uword sequences, RopeLayout layout,
                       bool inverse, double base) {
    const SequenceRows rows(x.n_rows, sequences, N_("RoPE rows"));
    require(d_k > 0 && x.n_cols % d_k == 0,
            [&] { return tr("RoPE: {1} columns are not heads of width {2}", x.n_cols, d_k); });
    const RopeAngles angles = rope_angles(rows.length, d_k, 0, inverse, base);
    for (arma::uword b = 0; b < sequences; ++b)
        for (arma::uword col = 0; col < x.n_cols; col += d_k)
            rotate_block(x, rows.first(b), col, layout, angles);
}

std::vector<arma::uword> rope_layout_permutation(arma::uword d_k) {
    rope_frequencies(d_k);  // d_k even
    const arma::uword half = d_k / 2;
    std::vector<arma::uword> permutation(d_k);
    for (arma::uword r = 0; r < d_k; ++r) permutation[r] = r < half ? 2 * r : 2 * (r - half) + 1;
    return permutation;
}

}  // namespace tfm
