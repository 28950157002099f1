#include "core/random.hpp"
#include "layer_gradcheck.hpp"
#include "nn/decoder.hpp"
#include "nn/encoder.hpp"
#include "ops/mask.hpp"
#include "support/gradcheck.hpp"
#include "support/stack_config.hpp"

#include "support/catch.hpp"

using namespace tfm;
using namespace tfm::test;
using tfm::test::stacks::check_param_grads_worst;

namespace {

constexpr arma::uword n_tgt = 5, n_src = 4;

// Causal self-attention with the last target position padding; source key 2 is padding.
Mask tgt_mask() {
    return combine_masks(causal_mask(n_tgt),
                         padding_mask(n_tgt, {false, false, false, false, true}));
}
Mask memory_mask() { return padding_mask(n_tgt, {false, false, true, false}); }

template <class Module>
void check_gradients(Module& module, const ModelConfig& config) {
    arma::mat y = normal(n_tgt, config.d_model);
    arma::mat memory = normal(n_src, config.d_model);
    const arma::mat g = normal(n_tgt, config.d_model);
    const Mask tmask = tgt_mask(), mmask = memory_mask();
    ParamList params;
    module.params("", params);
    auto loss = [&] { return arma::accu(module.forward(y, memory, tmask, mmask) % g); };

    module.zero_grad();
    module.forward(y, memory, tmask, mmask);
    const auto grads = module.backward(g);

    const double dy_err = relative_error(grads.dy, numeric_grad(loss, y));
    const double dmemory_err = relative_error(grads.dmemory, numeric_grad(loss, memory));
    INFO("dL/dy relative error " << dy_err << ", dL/dmemory relative error " << dmemory_err);
    CHECK(dy_err <= kGradTolerance);
    CHECK(dmemory_err <= kGradTolerance);
    const double worst = check_param_grads_worst(params, loss);
    INFO("worst parameter relative error " << worst << " (tolerance " << kGradTolerance << ")");
    CHECK(worst <= kGradTolerance);
}

}  // namespace

TEST_CASE("decoder layer gradients match finite differences for dy, dmemory and every parameter",
          "[stacks][decoder]") {
    for (bool norm_first : {false, true}) {
        for (Activation act : {Activation::relu, Activation::gelu}) {
            DYNAMIC_SECTION((norm_first ? "pre-LN " : "post-LN ") << to_string(act)) {
                const ModelConfig config = small_stack_config(norm_first, act);
                DecoderLayer layer(config);
                check_gradients(layer, config);
            }
        }
    }
}

TEST_CASE(
    "a 2-layer decoder stack's gradients match finite differences, dmemory summed over layers",
    "[stacks][decoder]") {
    for (bool norm_first : {false, true}) {
        DYNAMIC_SECTION((norm_first ? "pre-LN" : "post-LN")) {
            const ModelConfig config = small_stack_config(norm_first, Activation::relu, 2);
            Decoder decoder(config, config.decoder_layers);
            check_gradients(decoder, config);
        }
    }
}

TEST_CASE("every decoder layer's cross-attention reads the encoder's final output",
          "[stacks][decoder]") {
    for (bool norm_first : {false, true}) {
        DYNAMIC_SECTION((norm_first ? "pre-LN" : "post-LN")) {
            const ModelConfig config = small_stack_config(norm_first, Activation::relu, 3);
            Encoder encoder(config, config.encoder_layers);
            Decoder decoder(config, config.decoder_layers);
            const arma::mat x = normal(n_src, config.d_model);
            const arma::mat y = normal(n_tgt, config.d_model);
            const arma::mat memory = encoder.forward(x);
            const arma::mat out = decoder.forward(y, memory, causal_mask(n_tgt));

            // Hand-composed: each layer gets the previous layer's output and the same memory.
            std::vector<arma::mat> keys;
            for (const DecoderLayer& layer : decoder.layers) keys.push_back(layer.cross_attn.k_);
            arma::mat h = y;
            for (DecoderLayer& layer : decoder.layers)
                h = layer.forward(h, memory, causal_mask(n_tgt));
            if (norm_first) h = decoder.norm.forward(h);
            INFO("stack\n" << out << "by hand\n" << h);
            CHECK(arma::approx_equal(out, h, "absdiff", 1e-14));

            // Each layer's cross-attention keys are K = memory · Wkᵀ + bk of the FINAL encoder
            // output, not of an intermediate encoder layer's output.
            for (std::size_t i = 0; i < decoder.layers.size(); ++i) {
                Linear& wk = decoder.layers[i].cross_attn.wk;
                const arma::mat expected = wk.forward(memory);
                const arma::mat from_layer0 = wk.forward(encoder.layer_outputs_[0]);
                INFO("layer " << i);
                CHECK(arma::approx_equal(keys[i], expected, "absdiff", 1e-14));
                CHECK_FALSE(arma::approx_equal(keys[i], from_layer0, "absdiff", 1e-6));
            }
        }
    }
}

TEST_CASE(
    "the decoder is causal: changing a later target token leaves earlier outputs bit-identical",
    "[stacks][decoder]") {
    for (bool norm_first : {false, true}) {
        DYNAMIC_SECTION((norm_first ? "pre-LN" : "post-LN")) {
            const ModelConfig config = small_stack_config(norm_first, Activation::gelu, 2);
            Decoder decoder(config, config.decoder_layers);
            const arma::mat memory = normal(n_src, config.d_model);
            arma::mat y = normal(n_tgt, config.d_model);
            const arma::mat before = decoder.forward(y, memory, causal_mask(n_tgt));
            y.row(3) = normal(1, config.d_model);
            const arma::mat after = decoder.forward(y, memory, causal_mask(n_tgt));
            INFO("before\n" << before << "after\n" << after);
            CHECK(arma::approx_equal(before.rows(0, 2), after.rows(0, 2), "absdiff", 0.0));
            CHECK(arma::abs(before.rows(3, 4) - after.rows(3, 4)).max() > 1e-3);
        }
    }
}

TEST_CASE("decoder parameter names follow DESIGN §5", "[stacks][decoder]") {
    ModelConfig config = small_stack_config(true, Activation::relu, 2);
    Decoder decoder(config, config.decoder_layers);
    ParamList names;
    decoder.params("decoder.", names);
    REQUIRE(names.size() == 2 * (8 + 2 + 8 + 2 + 4 + 2) + 2);
    CHECK(names[10].name == "decoder.layers.0.cross_attn.wq.weight");
    CHECK(names[18].name == "decoder.layers.0.norm2.weight");
    CHECK(names[25].name == "decoder.layers.0.norm3.bias");
    CHECK(names.back().name == "decoder.norm.bias");
}
