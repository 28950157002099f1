// The checks of lesson 13, positions (checks.hpp; how they decide: checks_common.cpp).
#include "exercises/checks_common.hpp"

#include "core/random.hpp"
#include "ops/attention.hpp"
#include "ops/rope.hpp"
#include "ops/softmax.hpp"

#include <cmath>

namespace ex {

using namespace check;

namespace {

// ── models of the usual mistakes, apart from src/ ──

// RoPE written out with its two choices exposed: which columns pair up, and the angle's
// exponent (2i / d_k right; i / d_k or 2·(2i) / d_k the dimension index used wrongly).
enum class Angle { right, pair_index, column_index };
arma::mat rotate(const arma::mat& x, bool half_split, Angle angle) {
    const arma::uword d = x.n_cols, half = d / 2;
    arma::mat y = x;
    for (arma::uword r = 0; r < x.n_rows; ++r)
        for (arma::uword i = 0; i < half; ++i) {
            const double e = angle == Angle::right        ? 2.0 * i
                             : angle == Angle::pair_index ? 1.0 * i
                                                          : 4.0 * i;
            const double a =
                static_cast<double>(r) * std::pow(10000.0, -e / static_cast<double>(d));
            const arma::uword p = half_split ? i : 2 * i, s = half_split ? i + half : 2 * i + 1;
            y(r, p) = x(r, p) * std::cos(a) - x(r, s) * std::sin(a);
            y(r, s) = x(r, p) * std::sin(a) + x(r, s) * std::cos(a);
        }
    return y;
}

arma::mat attend(const arma::mat& q, const arma::mat& k, const arma::mat& v) {
    return tfm::softmax_rows(q * k.t() / std::sqrt(static_cast<double>(q.n_cols))) * v;
}

}  // namespace

std::string check_rope_attention(decltype(&rope_attention) candidate) {
    // n = 7 positions, d_k = 8, d_v = 8 (v rotatable, so rotating it by mistake shows).
    for (bool half_split : {false, true}) {
        tfm::set_seed(130 + (half_split ? 1 : 0));
        const arma::mat q = tfm::normal(7, 8), k = tfm::normal(7, 8), v = tfm::normal(7, 8);
        const tfm::RopeLayout layout =
            half_split ? tfm::RopeLayout::half_split : tfm::RopeLayout::interleaved;
        const arma::mat want = tfm::scaled_dot_product_attention(tfm::rope_rotate(q, layout),
                                                                 tfm::rope_rotate(k, layout), v)
                                   .output;
        arma::mat got;
        const std::string why =
            attempt([&] { got = candidate(q, k, v, half_split); }, threw_on_valid_input);
        if (!why.empty()) return why;
        if (same(got, want)) continue;
        const std::string when = half_split ? " (half_split = true)" : " (half_split = false)";
        const bool h = half_split;
        const Angle right = Angle::right;
        if (same(got, attend(rotate(q, !h, right), rotate(k, !h, right), v)) ||
            same(got, attend(rotate(q, h, right), rotate(k, !h, right), v)) ||
            same(got, attend(rotate(q, !h, right), rotate(k, h, right), v)))
            return "the two layouts mixed: interleaved pairs columns (2i, 2i+1), half-split "
                   "pairs (i, i + d_k/2); use the one asked for, the same for q and k" +
                   when;
        for (Angle wrong : {Angle::pair_index, Angle::column_index})
            if (same(got, attend(rotate(q, h, wrong), rotate(k, h, wrong), v)))
                return "the angle uses the dimension index wrongly: pair i turns by r·θ_i with "
                       "θ_i = 10000^(−2i/d_k), i the pair's number (0 … d_k/2 − 1)" +
                       when;
        if (same(got, attend(rotate(q, h, right), rotate(k, h, right), rotate(v, h, right))))
            return "v was rotated too: RoPE turns q and k only, so that q·k sees m − n; "
                   "the values stay as they are" +
                   when;
        return difference(want, got) + when;
    }
    return "";
}

}  // namespace ex
