// The checks of lesson 04, multi-head attention (checks.hpp; how they decide: checks_common.cpp).
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

namespace {

// x[r, c] = 10·r + c for a 3 × 8 matrix: every entry names its row and column.
arma::mat labelled(arma::uword rows, arma::uword cols) {
    arma::mat x(rows, cols);
    for (arma::uword r = 0; r < rows; ++r)
        for (arma::uword c = 0; c < cols; ++c) x(r, c) = 10.0 * r + c;
    return x;
}

std::vector<arma::mat> blocks(const arma::mat& x, arma::uword h, bool interleaved = false) {
    const arma::uword d_k = x.n_cols / h;
    std::vector<arma::mat> heads;
    for (arma::uword j = 0; j < h; ++j) {
        arma::uvec cols(d_k);
        for (arma::uword c = 0; c < d_k; ++c) cols(c) = interleaved ? c * h + j : j * d_k + c;
        heads.push_back(x.cols(cols));
    }
    return heads;
}

bool same(const std::vector<arma::mat>& a, const std::vector<arma::mat>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (!check::same(a[i], b[i])) return false;
    return true;
}

}  // namespace

std::string check_split_heads(decltype(&split_heads) candidate) {
    const arma::mat x = labelled(3, 8);  // n = 3, d_model = 8
    for (arma::uword h : {arma::uword(2), arma::uword(4), arma::uword(1)}) {
        // Head j, by hand: columns j·d_k … (j+1)·d_k − 1, so head j [r, c] = 10 r + j d_k + c.
        const arma::uword d_k = 8 / h;
        std::vector<arma::mat> hand;
        for (arma::uword j = 0; j < h; ++j) {
            arma::mat head(3, d_k);
            for (arma::uword r = 0; r < 3; ++r)
                for (arma::uword c = 0; c < d_k; ++c) head(r, c) = 10.0 * r + j * d_k + c;
            hand.push_back(head);
        }
        std::vector<arma::mat> got;
        std::string why = attempt([&] { got = candidate(x, h); }, threw_on_valid_input);
        if (!why.empty()) return why;
        if (same(got, hand)) continue;
        const std::string when = " (x [3 × 8], " + std::to_string(h) + " heads)";
        if (got.size() == d_k && d_k != h)
            return "returned " + std::to_string(got.size()) + " heads" + when +
                   ": there are num_heads heads, each d_model / num_heads columns wide";
        if (got.size() != h)
            return "returned " + std::to_string(got.size()) + " heads" + when + ", expected " +
                   std::to_string(h);
        if (same(got, blocks(x, h, true)))
            return "heads taken as every h-th column (interleaved): head j is the contiguous block "
                   "of columns j·d_k … (j+1)·d_k − 1";
        std::vector<arma::mat> reversed(hand.rbegin(), hand.rend());
        if (same(got, reversed))
            return "heads in reverse order: head 0 is the leftmost block of columns";
        for (const arma::mat& head : got)
            if (head.n_rows != 3)
                return "a head is " + dims(head) + when +
                       ": split the columns (features), not the rows (tokens); each head is [n × "
                       "d_k]";
        for (arma::uword j = 0; j < h; ++j)
            if (!same(got[j], hand[j]))
                return "head " + std::to_string(j) + when + " should be columns " +
                       std::to_string(j * d_k) + " … " + std::to_string((j + 1) * d_k - 1) +
                       " of x";
    }
    // 8 columns do not split into 3 heads: the learner's error, to be reported.
    bool rejected = true;
    std::vector<arma::mat> got;
    std::string why = attempt(
        [&] {
            got = candidate(x, 3);
            rejected = false;
        },
        [](const std::string&) { return std::string(); });
    if (!why.empty()) return why;
    if (!rejected)
        return "8 columns were split into 3 heads without complaint: when num_heads does not "
               "divide d_model, throw (tfm::require)";
    return "";
}

std::string check_merge_heads(decltype(&merge_heads) candidate) {
    for (arma::uword h : {arma::uword(2), arma::uword(4)}) {
        // Head j [r, c] = 100 j + 10 r + c; merged, head j's block sits at columns j·d_k ….
        const arma::uword d_k = 8 / h;
        std::vector<arma::mat> heads;
        arma::mat hand(3, 8);
        for (arma::uword j = 0; j < h; ++j) {
            arma::mat head(3, d_k);
            for (arma::uword r = 0; r < 3; ++r)
                for (arma::uword c = 0; c < d_k; ++c)
                    head(r, c) = hand(r, j * d_k + c) = 100.0 * j + 10.0 * r + c;
            heads.push_back(head);
        }
        arma::mat got;
        std::string why = attempt([&] { got = candidate(heads); }, threw_on_valid_input);
        if (!why.empty()) return why;
        if (same(got, hand)) continue;
        const std::string when =
            " (" + std::to_string(h) + " heads of [3 × " + std::to_string(d_k) + "])";
        arma::mat reversed, vertical, interleaved(3, 8);
        for (arma::uword j = 0; j < h; ++j) {
            reversed = arma::join_rows(reversed, heads[h - 1 - j]);
            vertical = arma::join_cols(vertical, heads[j]);
            for (arma::uword c = 0; c < d_k; ++c) interleaved.col(c * h + j) = heads[j].col(c);
        }
        why = first_match(
            got,
            {{"heads merged in the wrong order: head 0 is the leftmost block" + when, reversed},
             {"heads stacked vertically (join_cols): put them side by side "
              "(join_rows), one row per token" +
                  when,
              vertical},
             {"heads merged interleaved: head j's columns must stay together as "
              "block j" +
                  when,
              interleaved}});
        if (!why.empty()) return why;
        if (arma::size(got) != arma::size(hand))
            return "returned " + dims(got) + when + ", expected [n × h·d_k] = " + dims(hand);
        return "the merged matrix should be [head 0 | head 1 | …]" + when + ": " +
               difference(hand, got);
    }
    // merge undoes the split.
    tfm::set_seed(107);
    const arma::mat x = tfm::normal(5, 6);
    arma::mat got;
    std::string why = attempt([&] { got = candidate(blocks(x, 3)); }, threw_on_valid_input);
    if (!why.empty()) return why;
    if (!same(got, x))
        return "merging the 3 heads of a [5 × 6] matrix does not give the matrix back";
    return "";
}

std::string check_multi_head_attention(decltype(&multi_head_attention) candidate) {
    // d_model 8; cross-attention shapes: 3 queries, 5 keys; two heads, then four.
    tfm::set_seed(108);
    const arma::mat query_in = tfm::normal(3, 8), kv_in = tfm::normal(5, 8);
    const tfm::Mask mask = mask_of({{0, 0, 1, 0, 1}, {0, 0, 0, 1, 1}, {1, 0, 0, 0, 0}});
    struct Case {
        arma::uword heads;
        tfm::Mask mask;
    };
    for (const Case& c : {Case{2, tfm::Mask()}, Case{2, mask}, Case{4, mask}}) {
        const tfm::MultiHeadAttention mha(8, c.heads);
        tfm::MultiHeadAttention core = mha;
        const arma::mat expected = core.forward(query_in, kv_in, c.mask);
        if (!same(expected, model_mha(mha, query_in, kv_in, c.mask)))
            return "the course's MultiHeadAttention disagrees with the formula (a bug in src/, not "
                   "in your code)";
        arma::mat got;
        std::string why =
            attempt([&] { got = candidate(mha, query_in, kv_in, c.mask); },
                    [](const std::string& what) {
                        return product_hint(
                            what,
                            "a product does not fit: with "
                            "query_in [3 × 8] and kv_in [5 × 8], Q comes from query_in, "
                            "K and V from kv_in, and each head's scores are Q_j·K_jᵀ [3 × 5]");
                    });
        if (!why.empty()) return why;
        if (same(got, expected)) continue;
        const std::string when = " (" + std::to_string(c.heads) + " heads" +
                                 (c.mask.is_empty() ? "" : ", with a mask") + ")";
        const auto with = [&](MhaMistakes m) { return model_mha(mha, query_in, kv_in, c.mask, m); };
        MhaMistakes d_model_scale, no_wo, reversed, interleaved, kv_query, ignore_mask, no_bias,
            one_head;
        d_model_scale.scale_by_d_model = true;
        no_wo.no_wo = true;
        reversed.reversed_merge = true;
        interleaved.interleaved_split = true;
        kv_query.kv_from_query = true;
        ignore_mask.ignore_mask = true;
        no_bias.no_bias = true;
        one_head.one_head = true;
        std::vector<Mistake> mistakes = {
            {"scores scaled by √d_model instead of √d_k = √(d_model / h), a head's width",
             with(d_model_scale)},
            {"the output projection wo was not applied to the merged heads", with(no_wo)},
            {"heads merged in the wrong order: head 0's output is the leftmost block",
             with(reversed)},
            {"heads split as interleaved columns: head j is the contiguous block of columns "
             "j·d_k … (j+1)·d_k − 1",
             with(interleaved)},
            {"attention computed as one head over all d_model columns: split Q, K, V into h heads",
             with(one_head)},
            {"the biases of wq, wk, wv, wo were not added", with(no_bias)}};
        if (c.mask.is_empty())
            mistakes.push_back(
                {"K and V were projected from query_in: they come from kv_in (the "
                 "encoder's memory in cross-attention)",
                 with(kv_query)});
        else
            mistakes.push_back(
                {"the mask is ignored: blocked keys must get weight 0", with(ignore_mask)});
        why = first_match(got, mistakes);
        if (!why.empty()) return why + when;
        if (arma::size(got) != arma::size(expected))
            return "returned " + dims(got) + when +
                   ", expected [n_q × d_model] = " + dims(expected);
        return "differs from the course's multi-head attention" + when + ": " +
               difference(expected, got);
    }
    return "";
}

}  // namespace ex
