// The checks of lesson 03, attention (checks.hpp; how they decide: checks_common.cpp).
#include "exercises/checks_common.hpp"

#include "core/random.hpp"
#include "model/transformer.hpp"
#include "nn/decoder_layer.hpp"
#include "nn/embedding.hpp"
#include "nn/encoder_layer.hpp"
#include "nn/feed_forward.hpp"
#include "nn/layer_norm.hpp"
#include "nn/multi_head_attention.hpp"
#include "nn/positional_encoding.hpp"
#include "ops/activation.hpp"
#include "ops/attention.hpp"
#include "ops/mask.hpp"
#include "ops/softmax.hpp"
#include "rnn/spectral.hpp"
#include "rnn/vanilla_rnn.hpp"
#include "train/adam.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <sstream>
#include <utility>
#include <vector>

namespace ex {

using namespace check;

std::string check_softmax_rows(decltype(&softmax_rows) candidate) {
    // Case A, no mask (empty): exp of [0, ln 2, ln 5] is [1, 2, 5], so the row is
    // [1/8, 2/8, 5/8]; adding 1000 to every score changes nothing — unless exp(1000)
    // is computed, which overflows to ∞.
    const double ln2 = std::log(2.0), ln5 = std::log(5.0), ln3 = std::log(3.0);
    const arma::mat a = {{0.0, ln2, ln5}, {1000.0, 1000.0 + ln2, 1000.0 + ln5}};
    const arma::mat a_hand = {{0.125, 0.25, 0.625}, {0.125, 0.25, 0.625}};
    arma::mat got;
    std::string why = attempt([&] { got = candidate(a, tfm::Mask()); },
                              [](const std::string& what) {
                                  return "threw with an empty mask (" + what +
                                         "): an empty mask means nothing is blocked";
                              });
    if (!why.empty()) return why;
    if (!same(got, a_hand)) {
        if (arma::size(got) != arma::size(a))
            return "returned " + dims(got) + ", expected " + dims(a) + " (the scores' shape)";
        const bool row0_ok = same(got.row(0), a_hand.row(0)),
                   row1_ok = same(got.row(1), a_hand.row(1));
        if (row0_ok && !got.row(1).is_finite())
            return "the row maximum is not subtracted: exp(1000) overflows to ∞ and the row turns "
                   "to NaN";
        if (!got.row(0).is_finite() && row1_ok)
            return "one maximum for the whole matrix was subtracted: subtract each row's own "
                   "maximum, or a row far below it underflows to 0/0 = NaN";
        why = first_match(got, {{"softmax taken over columns instead of rows: each row (one "
                                 "query's scores) must sum to 1",
                                 model_softmax(a, {}, false)}});
        if (!why.empty()) return why;
        return "softmax of [0, ln 2, ln 5] should be [1/8, 2/8, 5/8]: " + difference(a_hand, got);
    }

    // Case B, masked (3 × 4; 1 = blocked), worked by hand:
    //   row 0: open ln 3 and 0 → exp = 3, 1 → [3/4, 0, 1/4, 0]
    //   row 1: everything blocked → zeros (never 0/0)
    //   row 2: three equal open scores → [0, 1/3, 1/3, 1/3]
    const arma::mat b = {{ln3, 7, 0, -2}, {4, -1, 2, 9}, {5, 5, 5, 5}};
    const tfm::Mask b_mask = mask_of({{0, 1, 0, 1}, {1, 1, 1, 1}, {1, 0, 0, 0}});
    const arma::mat b_hand = {{0.75, 0, 0.25, 0}, {0, 0, 0, 0}, {0, 1.0 / 3, 1.0 / 3, 1.0 / 3}};
    why = attempt([&] { got = candidate(b, b_mask); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, b_hand)) {
        if (arma::size(got) != arma::size(b))
            return "returned " + dims(got) + ", expected " + dims(b) + " (the scores' shape)";
        why = first_match(
            got, {{"the mask is ignored: blocked positions must get weight exactly 0",
                   model_softmax(b, {})},
                  {"mask applied after softmax: blocked weights are 0 but the rows no longer sum "
                   "to 1 (set blocked scores to −∞ before the softmax)",
                   mask_after_softmax(b, b_mask)},
                  {"the mask is inverted: 1 means blocked, 0 means allowed",
                   model_softmax(b, inverted(b_mask))},
                  {"softmax taken over columns instead of rows: each row (one query's scores) "
                   "must sum to 1",
                   model_softmax(b, b_mask, false)}});
        if (!why.empty()) return why;
        // The all-blocked row alone is wrong: the other rows show the rest is right.
        const bool others_ok = same(got.row(0), b_hand.row(0)) && same(got.row(2), b_hand.row(2));
        if (others_ok && !got.row(1).is_finite())
            return "a row with every position blocked gives NaN (0/0): make it a row of zeros";
        if (others_ok && arma::any(arma::abs(got.row(1)) > 1e-12))
            return "a row with every position blocked must be all zeros: yours gives blocked "
                   "positions weight (a large negative number is not −∞; treat that row apart)";
        return "the masked softmax differs from the hand-computed values: " +
               difference(b_hand, got);
    }

    // Case C: square, mask not symmetric, random scores — against the core.
    tfm::set_seed(105);
    const arma::mat c = 3.0 * tfm::normal(4, 4);
    const tfm::Mask c_mask = mask_of({{0, 1, 1, 0}, {0, 0, 1, 1}, {1, 0, 0, 1}, {0, 0, 0, 0}});
    const arma::mat c_expected = tfm::softmax_rows(c, c_mask);
    if (!same(c_expected, model_softmax(c, c_mask)))
        return "the course's softmax_rows disagrees with the formula (a bug in src/, not in your "
               "code)";
    why = attempt([&] { got = candidate(c, c_mask); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, c_expected)) {
        why = first_match(got, {{"the mask is transposed: mask(i, j) = 1 blocks query i (row) "
                                 "from key j (column)",
                                 model_softmax(c, c_mask.t())}});
        if (!why.empty()) return why;
        return "differs from the course's softmax on random [4 × 4] scores with a mask: " +
               (arma::size(got) == arma::size(c) ? difference(c_expected, got)
                                                 : "returned " + dims(got));
    }

    // Case D: a wide random matrix, no mask.
    const arma::mat d = 4.0 * tfm::normal(5, 7);
    const arma::mat d_expected = tfm::softmax_rows(d);
    why = attempt([&] { got = candidate(d, tfm::Mask()); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, d_expected))
        return "differs from the course's softmax on random [5 × 7] scores: " +
               (arma::size(got) == arma::size(d) ? difference(d_expected, got)
                                                 : "returned " + dims(got));
    return "";
}

std::string check_scaled_dot_product_attention(decltype(&scaled_dot_product_attention) candidate) {
    const auto explain = [](const std::string& what) {
        return product_hint(what,
                            "K was not transposed? A product does not fit: the scores are "
                            "Q·Kᵀ [n_q × n_k], and the output is weights·V [n_q × d_v]");
    };
    arma::mat got;

    // Case D, diagnostic: n_q 3, n_k 5, d_k 4, and V = [I₅ | 0 1 2 3 4]ᵀ [5 × 6], so the
    // first five columns of the output ARE the attention weights.
    tfm::set_seed(106);
    const arma::mat q = tfm::normal(3, 4), k = 1.5 * tfm::normal(5, 4);
    const arma::mat v =
        arma::join_rows(arma::mat(5, 5, arma::fill::eye), arma::regspace<arma::vec>(0, 4));
    const tfm::Mask mask = mask_of({{0, 0, 1, 0, 1}, {0, 0, 0, 1, 1}, {1, 0, 0, 0, 0}});
    const arma::mat expected = tfm::scaled_dot_product_attention(q, k, v, mask).output;
    const arma::mat weights = model_weights(q, k, mask, 2.0);
    if (!same(expected, weights * v))
        return "the course's attention disagrees with the formula (a bug in src/, not in your "
               "code)";
    std::string why = attempt([&] { got = candidate(q, k, v, mask); }, explain);
    if (!why.empty()) return why;
    if (!same(got, expected)) {
        if (arma::size(got) != arma::size(expected))
            return "returned " + dims(got) + ", expected [n_q × d_v] = " + dims(expected);
        const arma::mat w = got.cols(0, 4);
        why = first_match(
            w, {{"scores are not divided by √d_k", model_weights(q, k, mask, 1.0)},
                {"scores are divided by d_k instead of √d_k", model_weights(q, k, mask, 4.0)},
                {"scores are multiplied by √d_k instead of divided by it",
                 model_weights(q, k, mask, 0.5)},
                {"scores are scaled by √(number of keys) instead of √d_k, the width of Q and K",
                 model_weights(q, k, mask, std::sqrt(5.0))},
                {"scores are scaled by √(number of queries) instead of √d_k, the width of Q and K",
                 model_weights(q, k, mask, std::sqrt(3.0))},
                {"scores are scaled by √d_v (V's width) instead of √d_k (the width of Q and K)",
                 model_weights(q, k, mask, std::sqrt(6.0))},
                {"softmax taken over columns instead of rows: each query's row of weights must sum "
                 "to 1",
                 model_weights(q, k, mask, 2.0, MaskUse::before, false)},
                {"mask applied after softmax: blocked weights are 0 but the rows do not sum to 1 "
                 "(set blocked scores to −∞ before the softmax)",
                 model_weights(q, k, mask, 2.0, MaskUse::after)},
                {"the mask is ignored: blocked keys must get weight 0",
                 model_weights(q, k, mask, 2.0, MaskUse::ignored)},
                {"the mask is inverted: 1 means blocked, 0 means allowed",
                 model_weights(q, k, mask, 2.0, MaskUse::inverted)}});
        if (!why.empty()) return why;
        if (same(w, weights))
            return "the weights are right but the output is not weights·V: " +
                   difference(expected, got);
        return "the output differs from softmax(Q·Kᵀ/√d_k, mask)·V: " + difference(expected, got);
    }

    // Case S: K square (n_k = d_k = 4), so Q·K runs and only its values can tell.
    const arma::mat qs = tfm::normal(3, 4), ks = 1.5 * tfm::normal(4, 4), vs = tfm::normal(4, 6);
    const arma::mat s_expected = tfm::scaled_dot_product_attention(qs, ks, vs).output;
    why = attempt([&] { got = candidate(qs, ks, vs, tfm::Mask()); }, explain);
    if (!why.empty()) return why;
    if (!same(got, s_expected)) {
        why = first_match(got, {{"K was not transposed: the scores are Q·Kᵀ, not Q·K",
                                 model_softmax(qs * ks / 2.0, {}) * vs}});
        if (!why.empty()) return why;
        return "differs from the course's attention with a square K [4 × 4] and no mask: " +
               (arma::size(got) == arma::size(s_expected) ? difference(s_expected, got)
                                                          : "returned " + dims(got));
    }

    // Case H, by hand: d_k = 4 so √d_k = 2. q₀ = [2 ln 3, 0, 0, 0], q₁ = 0;
    // k₀ = e₀, k₁ = 0, k₂ = e₁. Scaled scores: row 0 [ln 3, 0, 0] → weights [3/5, 1/5, 1/5];
    // row 1 [0, 0, 0] → [1/3, 1/3, 1/3]. V = [[5, 10], [0, 5], [10, −5]]:
    //   output row 0 = [3 + 0 + 2, 6 + 1 − 1] = [5, 6];  row 1 = [15/3, 10/3] = [5, 10/3].
    const double ln3 = std::log(3.0);
    const arma::mat qh = {{2 * ln3, 0, 0, 0}, {0, 0, 0, 0}};
    const arma::mat kh = {{1, 0, 0, 0}, {0, 0, 0, 0}, {0, 1, 0, 0}};
    const arma::mat vh = {{5, 10}, {0, 5}, {10, -5}};
    const arma::mat hand = {{5, 6}, {5, 10.0 / 3}};
    why = attempt([&] { got = candidate(qh, kh, vh, tfm::Mask()); }, explain);
    if (!why.empty()) return why;
    if (!same(got, hand))
        return "the hand-worked case (weights [3/5, 1/5, 1/5] and [1/3, 1/3, 1/3]) differs: " +
               (arma::size(got) == arma::size(hand) ? difference(hand, got)
                                                    : "returned " + dims(got));

    // Case R: random, no mask, n_q 4, n_k 6, d_k 3, d_v 5.
    const arma::mat qr = tfm::normal(4, 3), kr = tfm::normal(6, 3), vr = tfm::normal(6, 5);
    const arma::mat r_expected = tfm::scaled_dot_product_attention(qr, kr, vr).output;
    why = attempt([&] { got = candidate(qr, kr, vr, tfm::Mask()); }, explain);
    if (!why.empty()) return why;
    if (!same(got, r_expected))
        return "differs from the course's attention on random Q [4 × 3], K [6 × 3], V [6 × 5]: " +
               (arma::size(got) == arma::size(r_expected) ? difference(r_expected, got)
                                                          : "returned " + dims(got));
    return "";
}

std::string check_causal_mask(decltype(&causal_mask) candidate) {
    // n = 4 by hand: query i may see keys 0 … i, so row i blocks columns i+1 … 3.
    const tfm::Mask hand = mask_of({{0, 1, 1, 1}, {0, 0, 1, 1}, {0, 0, 0, 1}, {0, 0, 0, 0}});
    tfm::Mask got;
    std::string why = attempt([&] { got = candidate(4); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, hand)) {
        if (arma::size(got) != arma::size(hand))
            return "returned " + dims(got) + " for n = 4, expected [4 × 4]";
        const tfm::Mask diagonal_blocked =
            mask_of({{1, 1, 1, 1}, {0, 1, 1, 1}, {0, 0, 1, 1}, {0, 0, 0, 1}});
        const tfm::Mask next_open =
            mask_of({{0, 0, 1, 1}, {0, 0, 0, 1}, {0, 0, 0, 0}, {0, 0, 0, 0}});
        if (same(got, diagonal_blocked))
            return "causal mask is off by one: the diagonal is blocked (token i must see itself)";
        if (same(got, next_open))
            return "causal mask is off by one: key i+1 is not blocked for query i (block every j > "
                   "i)";
        if (same(got, tfm::Mask(hand.t())))
            return "the mask is transposed: it blocks the past (j < i) instead of the future (j > "
                   "i)";
        if (same(got, inverted(hand)))
            return "the mask is inverted: 1 must mean blocked (the future, j > i), 0 allowed";
        if (arma::any(arma::vectorise(got > 1)))
            return "mask entries must be 0 (allowed) or 1 (blocked)";
        return "the causal mask for n = 4 should block exactly the keys j > i of each query i";
    }
    const tfm::Mask expected = tfm::causal_mask(7);
    if (!same(expected.submat(0, 0, 3, 3), hand))
        return "the course's causal_mask disagrees with j > i (a bug in src/, not in your code)";
    for (arma::uword n : {arma::uword(1), arma::uword(7)}) {
        why = attempt([&] { got = candidate(n); }, threw_on_valid_input);
        if (!why.empty()) return why;
        const tfm::Mask want = tfm::causal_mask(n);
        if (!same(got, want))
            return "the causal mask for n = " + std::to_string(n) + " is wrong (returned " +
                   dims(got) + ", expected " + dims(want) + " blocking j > i)";
    }
    return "";
}

std::string check_padding_mask(decltype(&padding_mask) candidate) {
    // 3 queries, 5 keys; keys 1 and 4 are padding, so columns 1 and 4 are blocked.
    const std::vector<bool> pad = {false, true, false, false, true};
    const tfm::Mask hand = mask_of({{0, 1, 0, 0, 1}, {0, 1, 0, 0, 1}, {0, 1, 0, 0, 1}});
    tfm::Mask got;
    std::string why = attempt([&] { got = candidate(3, pad); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, hand)) {
        if (same(got, tfm::Mask(hand.t())))
            return "the mask is transposed: one row per query and one column per key, "
                   "[n_q × n_k], with the padded keys' columns blocked";
        if (same(got, inverted(hand)))
            return "the mask is inverted: 1 must mean blocked (a padded key), 0 allowed";
        if (arma::size(got) != arma::size(hand))
            return "returned " + dims(got) + ", expected [n_q × n_k] = " + dims(hand);
        return "padding blocks keys (columns), in every query's row: columns 1 and 4 should be "
               "all 1 and the rest 0";
    }
    const std::vector<bool> none(6, false), all(2, true);
    for (const auto& flags : {none, all}) {
        why = attempt([&] { got = candidate(4, flags); }, threw_on_valid_input);
        if (!why.empty()) return why;
        const tfm::Mask want = tfm::padding_mask(4, flags);
        if (!same(got, want))
            return std::string("the padding mask with ") + (flags[0] ? "every" : "no") +
                   " key padded is wrong (returned " + dims(got) + ", expected " + dims(want) + ")";
    }
    return "";
}

std::string check_softmax_rows_backward(decltype(&softmax_rows_backward) candidate) {
    // By hand: ds_j = w_j (dw_j − Σ_k w_k dw_k).
    //   w [0.25, 0.75, 0],   dw [1, 0, 5]:  Σ = 0.25
    //   → [0.25·0.75, 0.75·(−0.25), 0] = [0.1875, −0.1875, 0]
    //   w [0.5, 0.25, 0.25], dw [2, −2, 0]: Σ = 0.5  → [0.5·1.5, 0.25·(−2.5), 0.25·(−0.5)]
    //                                                = [0.75, −0.625, −0.125]
    const arma::mat w = {{0.25, 0.75, 0}, {0.5, 0.25, 0.25}};
    const arma::mat dw = {{1, 0, 5}, {2, -2, 0}};
    const arma::mat hand = {{0.1875, -0.1875, 0}, {0.75, -0.625, -0.125}};
    const auto mistakes = [](const arma::mat& w, const arma::mat& dw) {
        const arma::vec row_dot = arma::sum(w % dw, 1);
        const arma::rowvec col_dot = arma::sum(w % dw, 0);
        arma::mat centered = dw.each_col() - row_dot;
        arma::mat by_columns = dw.each_row() - col_dot;
        return std::vector<Mistake>{
            {"the Σ_k w_k·dw_k term is missing: softmax's Jacobian is diag(w) − wᵀw per row, not "
             "diag(w)",
             w % dw},
            {"Σ_k w_k·dw_k was summed over columns (dim = 0): it is one number per row (dim = 1)",
             w % by_columns},
            {"only the diagonal of the Jacobian, w_j(1 − w_j), was used: every w_k of the row "
             "contributes through Σ_k w_k·dw_k",
             w % (1 - w) % dw},
            {"the factor w_j in front is missing: ds_j = w_j·(dw_j − Σ_k w_k·dw_k)", centered},
            {"the sign is flipped: ds_j = w_j·(dw_j − Σ_k w_k·dw_k)", -(w % centered)}};
    };

    arma::mat got;
    std::string why = attempt([&] { got = candidate(w, dw); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, hand)) {
        if (arma::size(got) != arma::size(w))
            return "returned " + dims(got) + ", expected " + dims(w) + " (the weights' shape)";
        why = first_match(got, mistakes(w, dw));
        if (!why.empty()) return why;
        return "dscores differs from the hand-computed values: " + difference(hand, got);
    }

    // Random scores [4 × 6] with a mask, against the core and finite differences of
    // L(s) = Σ softmax_rows(s, mask) ⊙ G, whose dL/dweights is G.
    tfm::set_seed(111);
    const arma::mat s = 2.0 * tfm::normal(4, 6), g = tfm::normal(4, 6);
    const tfm::Mask mask =
        mask_of({{0, 1, 0, 0, 1, 0}, {0, 0, 0, 0, 0, 1}, {1, 1, 0, 1, 1, 1}, {0, 0, 0, 0, 0, 0}});
    const arma::mat wr = tfm::softmax_rows(s, mask);
    const arma::mat expected = tfm::softmax_rows_backward(wr, g);
    const arma::mat numeric = central_differences(
        [&](const arma::mat& x) { return arma::accu(model_softmax(x, mask) % g); }, s);
    if (relative_error(expected, numeric) > kGradTolerance)
        return "the course's softmax_rows_backward disagrees with finite differences (a bug in "
               "src/, not in your code)";
    why = attempt([&] { got = candidate(wr, g); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, expected)) {
        why = first_match(got, mistakes(wr, g));
        if (!why.empty()) return why;
        return "differs from finite differences on random masked [4 × 6] scores: " +
               (arma::size(got) == arma::size(expected) ? difference(expected, got)
                                                        : "returned " + dims(got));
    }
    return "";
}

}  // namespace ex
