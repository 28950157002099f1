// The checks of lesson 06, the encoder layer (checks.hpp; how they decide: checks_common.cpp).
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

struct EncoderMistakes {
    bool flip_norm_first = false, no_residual1 = false, no_residual2 = false,
         norm_before_add = false, swap_norms = false, ignore_mask = false, raw_keys = false;
};

// One encoder layer from its pieces, run on a copy, with optional mistakes.
arma::mat model_encoder_layer(tfm::EncoderLayer layer, const arma::mat& x, const tfm::Mask& mask,
                              EncoderMistakes m = {}) {
    const bool pre = layer.norm_first != m.flip_norm_first;
    tfm::LayerNorm& n1 = m.swap_norms ? layer.norm2 : layer.norm1;
    tfm::LayerNorm& n2 = m.swap_norms ? layer.norm1 : layer.norm2;
    const tfm::Mask use = m.ignore_mask ? tfm::Mask() : mask;
    const arma::mat zero(arma::size(x), arma::fill::zeros);
    if (pre) {
        const arma::mat n = n1.forward(x);
        const arma::mat a =
            (m.no_residual1 ? zero : x) + layer.self_attn.forward(n, m.raw_keys ? x : n, use);
        const arma::mat f = layer.ffn.forward(n2.forward(a));
        return (m.no_residual2 ? zero : a) + f;
    }
    const arma::mat s = layer.self_attn.forward(x, x, use);
    const arma::mat a = m.norm_before_add ? arma::mat(n1.forward(x) + s)
                                          : n1.forward((m.no_residual1 ? zero : x) + s);
    const arma::mat f = layer.ffn.forward(a);
    return m.norm_before_add ? arma::mat(n2.forward(a) + f)
                             : n2.forward((m.no_residual2 ? zero : a) + f);
}

}  // namespace

std::string check_encoder_layer(decltype(&encoder_layer) candidate) {
    // 5 tokens, d_model 8, 2 heads, d_ff 12; the last two tokens are padding.
    tfm::set_seed(115);
    const arma::mat x = tfm::normal(5, 8);
    const tfm::Mask mask = tfm::padding_mask(5, {false, false, false, true, true});
    for (bool norm_first : {false, true}) {
        tfm::EncoderLayer layer(small_config(norm_first));
        randomize(layer.norm1);
        randomize(layer.norm2);
        for (const tfm::Mask& m : {tfm::Mask(), mask}) {
            tfm::EncoderLayer core = layer;
            const arma::mat expected = core.forward(x, m);
            if (!same(expected, model_encoder_layer(layer, x, m)))
                return "the course's EncoderLayer disagrees with its pieces (a bug in src/, not in "
                       "your code)";
            tfm::EncoderLayer given = layer;
            arma::mat got;
            std::string why = attempt([&] { got = candidate(given, x, m); }, threw_on_valid_input);
            if (!why.empty()) return why;
            if (same(got, expected)) continue;
            const std::string when =
                layout(norm_first) + (m.is_empty() ? "" : " with a padding mask");
            const auto with = [&](EncoderMistakes e) {
                return model_encoder_layer(layer, x, m, e);
            };
            EncoderMistakes flip, res1, res2, before, swap, unmasked, raw;
            flip.flip_norm_first = res1.no_residual1 = res2.no_residual2 = true;
            before.norm_before_add = swap.swap_norms = unmasked.ignore_mask = raw.raw_keys = true;
            std::vector<Mistake> mistakes = {
                {norm_first ? "this layer is pre-LN (layer.norm_first): a = x + "
                              "SelfAttn(norm1(x)), y = a + FFN(norm2(a))"
                            : "this layer is post-LN (layer.norm_first is false): a = norm1(x + "
                              "SelfAttn(x)), y = norm2(a + FFN(a))",
                 with(flip)},
                {"the residual around self-attention is missing: x + SelfAttn(…)", with(res1)},
                {"the residual around the FFN is missing: a + FFN(…)", with(res2)},
                {"norm1 and norm2 swapped: norm1 goes with self-attention, norm2 with the FFN",
                 with(swap)}};
            if (!norm_first)
                mistakes.push_back(
                    {"the norm is applied before the residual add: post-LN is norm1(x + "
                     "SelfAttn(x)), "
                     "not norm1(x) + SelfAttn(x)",
                     with(before)});
            else
                mistakes.push_back(
                    {"in pre-LN the queries, keys and values all come from norm1(x)", with(raw)});
            if (!m.is_empty())
                mistakes.push_back({"the mask was not passed to self-attention", with(unmasked)});
            why = first_match(got, mistakes);
            if (!why.empty()) return why + when;
            if (arma::size(got) != arma::size(expected))
                return "returned " + dims(got) + when + ", expected " + dims(expected);
            return "differs from the course's encoder layer" + when + ": " +
                   difference(expected, got);
        }
    }
    return "";
}

}  // namespace ex
