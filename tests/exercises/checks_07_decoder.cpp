// The checks of lesson 07, the decoder layer (checks.hpp; how they decide: checks_common.cpp).
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

struct DecoderMistakes {
    bool flip_norm_first = false, ignore_tgt_mask = false, ignore_memory_mask = false,
         kv_from_stream = false, queries_from_y = false, no_cross_residual = false;
};

arma::mat model_decoder_layer(tfm::DecoderLayer layer, const arma::mat& y, const arma::mat& memory,
                              const tfm::Mask& tgt_mask, const tfm::Mask& memory_mask,
                              DecoderMistakes m = {}) {
    const bool pre = layer.norm_first != m.flip_norm_first;
    const tfm::Mask self_mask = m.ignore_tgt_mask ? tfm::Mask() : tgt_mask;
    const tfm::Mask cross_mask = m.ignore_memory_mask ? tfm::Mask() : memory_mask;
    const arma::mat zero(arma::size(y), arma::fill::zeros);
    if (pre) {
        const arma::mat n1 = layer.norm1.forward(y);
        const arma::mat a = y + layer.self_attn.forward(n1, n1, self_mask);
        const arma::mat q = m.queries_from_y ? y : layer.norm2.forward(a);
        const arma::mat b = (m.no_cross_residual ? zero : a) +
                            layer.cross_attn.forward(q, m.kv_from_stream ? q : memory, cross_mask);
        return b + layer.ffn.forward(layer.norm3.forward(b));
    }
    const arma::mat a = layer.norm1.forward(y + layer.self_attn.forward(y, y, self_mask));
    const arma::mat q = m.queries_from_y ? y : a;
    const arma::mat b =
        layer.norm2.forward((m.no_cross_residual ? zero : a) +
                            layer.cross_attn.forward(q, m.kv_from_stream ? q : memory, cross_mask));
    return layer.norm3.forward(b + layer.ffn.forward(b));
}

}  // namespace

std::string check_decoder_layer(decltype(&decoder_layer) candidate) {
    // 4 target tokens, 6 source tokens (the last two padding), d_model 8, 2 heads.
    tfm::set_seed(116);
    const arma::mat y = tfm::normal(4, 8), memory = tfm::normal(6, 8);
    const tfm::Mask tgt_mask = tfm::causal_mask(4);
    const tfm::Mask memory_mask = tfm::padding_mask(4, {false, false, false, false, true, true});
    const auto explain = [](const std::string& what) {
        if (mentions(what, "mask"))
            return "a mask of the wrong shape reached an attention (" + what +
                   "): tgt_mask [n_tgt × n_tgt] "
                   "is self-attention's, memory_mask [n_tgt × n_src] cross-attention's";
        return product_hint(what,
                            "shapes do not fit: cross_attn.forward(queries, keys_values, …) takes "
                            "the decoder's stream as queries and memory as keys and values");
    };
    for (bool norm_first : {false, true}) {
        tfm::DecoderLayer layer(small_config(norm_first));
        randomize(layer.norm1);
        randomize(layer.norm2);
        randomize(layer.norm3);
        for (const tfm::Mask& mm : {tfm::Mask(), memory_mask}) {
            tfm::DecoderLayer core = layer;
            const arma::mat expected = core.forward(y, memory, tgt_mask, mm);
            if (!same(expected, model_decoder_layer(layer, y, memory, tgt_mask, mm)))
                return "the course's DecoderLayer disagrees with its pieces (a bug in src/, not in "
                       "your code)";
            tfm::DecoderLayer given = layer;
            arma::mat got;
            std::string why =
                attempt([&] { got = candidate(given, y, memory, tgt_mask, mm); }, explain);
            if (!why.empty()) return why;
            if (same(got, expected)) continue;
            const std::string when =
                layout(norm_first) + (mm.is_empty() ? "" : " with a memory mask");
            const auto with = [&](DecoderMistakes d) {
                return model_decoder_layer(layer, y, memory, tgt_mask, mm, d);
            };
            DecoderMistakes flip, no_causal, no_memory_mask, stream_kv, raw_q, no_res;
            flip.flip_norm_first = no_causal.ignore_tgt_mask = no_memory_mask.ignore_memory_mask =
                true;
            stream_kv.kv_from_stream = raw_q.queries_from_y = no_res.no_cross_residual = true;
            std::vector<Mistake> mistakes = {
                {"the causal tgt_mask was not passed to self-attention: a target token sees the "
                 "future",
                 with(no_causal)},
                {norm_first ? "this layer is pre-LN (layer.norm_first): each sub-layer reads its "
                              "norm's output and adds to the stream"
                            : "this layer is post-LN (layer.norm_first is false): each Add is "
                              "followed by its norm",
                 with(flip)},
                {norm_first
                     ? "cross-attention's queries come from norm2(a), the normalised stream after "
                       "self-attention, not from y"
                     : "cross-attention's queries come from a = norm1(y + SelfAttn(y)), not from y",
                 with(raw_q)},
                {"the residual around cross-attention is missing: a + CrossAttn(…)", with(no_res)}};
            if (mm.is_empty())
                mistakes.push_back(
                    {"cross-attention's keys and values must come from memory (the encoder's "
                     "output); yours came from the decoder's own stream",
                     with(stream_kv)});
            else
                mistakes.push_back(
                    {"memory_mask was not passed to cross-attention: padded source tokens get "
                     "attention",
                     with(no_memory_mask)});
            why = first_match(got, mistakes);
            if (!why.empty()) return why + when;
            if (arma::size(got) != arma::size(expected))
                return "returned " + dims(got) + when +
                       ", expected [n_tgt × d_model] = " + dims(expected);
            return "differs from the course's decoder layer" + when + ": " +
                   difference(expected, got);
        }
    }
    return "";
}

}  // namespace ex
