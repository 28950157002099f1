// Encoder and decoder layers and 2-layer stacks against PyTorch's
// nn.TransformerEncoderLayer / nn.TransformerDecoderLayer / nn.TransformerEncoder /
// nn.TransformerDecoder (dropout 0, eval, float64), post-LN and norm_first, ReLU and GELU.
// Encoder: 7 source rows, the last two padding (key mask). Decoder: 5 target rows with a
// causal mask, cross-attending to 7 memory rows whose last two are padding.
#include "nn/decoder.hpp"
#include "nn/encoder.hpp"
#include "reference/fixture.hpp"

#include "support/catch.hpp"

using namespace tfm;
using namespace tfm::test;

namespace {

// An encoder layer or stack on the fixture's source and its key-padding mask.
template <class EncoderModule>
void check_encoder(const Fixture& f, EncoderModule& encoder) {
    check_single_input_module(
        f, encoder, [&](const arma::mat& x) { return encoder.forward(x, f.mask("mask")); });
}

// A decoder layer or stack: output, dL/dy and dL/dmemory, and every parameter gradient.
template <class DecoderModule>
void check_decoder(const Fixture& f, DecoderModule& decoder) {
    const ParamList params = load_fixture_weights(f, decoder);
    check_close(
        "output",
        decoder.forward(f.npy("input"), f.npy("memory"), f.mask("tgt_mask"), f.mask("memory_mask")),
        f.npy("output"), kForwardTolerance);

    decoder.zero_grad();
    const typename DecoderModule::Grads g = decoder.backward(f.npy("grad_output"));
    check_close("grad_input", g.dy, f.npy("grad_input"), kGradientTolerance);
    check_close("grad_memory", g.dmemory, f.npy("grad_memory"), kGradientTolerance);
    check_param_grads(f, params);
}

}  // namespace

TEST_CASE(
    "an encoder layer matches nn.TransformerEncoderLayer: output, dL/dx and every "
    "parameter gradient",
    "[reference][encoder]") {
    const std::string name =
        GENERATE(as<std::string>{}, "encoder_layer_post_relu", "encoder_layer_post_gelu",
                 "encoder_layer_pre_relu", "encoder_layer_pre_gelu");
    INFO("fixture " << name);
    Fixture f(name);
    EncoderLayer layer(f.model_config());
    check_encoder(f, layer);
}

TEST_CASE(
    "a decoder layer matches nn.TransformerDecoderLayer: output, dL/dy, dL/dmemory and "
    "every parameter gradient",
    "[reference][decoder]") {
    const std::string name =
        GENERATE(as<std::string>{}, "decoder_layer_post_relu", "decoder_layer_post_gelu",
                 "decoder_layer_pre_relu", "decoder_layer_pre_gelu");
    INFO("fixture " << name);
    Fixture f(name);
    DecoderLayer layer(f.model_config());
    check_decoder(f, layer);
}

TEST_CASE("a 2-layer encoder stack matches nn.TransformerEncoder (pre-LN with its final norm)",
          "[reference][encoder]") {
    const std::string name =
        GENERATE(as<std::string>{}, "encoder_stack_post_relu", "encoder_stack_pre_gelu");
    INFO("fixture " << name);
    Fixture f(name);
    Encoder encoder(f.model_config(), f.model_config().encoder_layers);
    REQUIRE(encoder.layers.size() == 2);
    CHECK(encoder.has_final_norm == f.flag("final_norm"));
    check_encoder(f, encoder);
}

TEST_CASE("a 2-layer decoder stack matches nn.TransformerDecoder, dL/dmemory summed over layers",
          "[reference][decoder]") {
    const std::string name =
        GENERATE(as<std::string>{}, "decoder_stack_post_relu", "decoder_stack_pre_gelu");
    INFO("fixture " << name);
    Fixture f(name);
    Decoder decoder(f.model_config(), f.model_config().decoder_layers);
    REQUIRE(decoder.layers.size() == 2);
    CHECK(decoder.has_final_norm == f.flag("final_norm"));
    check_decoder(f, decoder);
}
