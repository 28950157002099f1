// Encoder and decoder layers and 2-layer stacks against PyTorch's
// nn.TransformerEncoderLayer / nn.TransformerDecoderLayer / nn.TransformerEncoder /
// nn.TransformerDecoder (dropout 0, eval, float64), post-LN and norm_first, ReLU and GELU.
// Encoder: 7 source rows, the last two padding (key mask). Decoder: 5 target rows with a
// causal mask, cross-attending to 7 memory rows whose last two are padding.
#include "io/safetensors.hpp"
#include "nn/decoder_layer.hpp"
#include "nn/encoder_layer.hpp"
#include "reference/fixture.hpp"

#include <catch2/catch.hpp>

using namespace tfm;
using namespace tfm::test;

TEST_CASE("an encoder layer matches nn.TransformerEncoderLayer: output, dL/dx and every "
          "parameter gradient",
          "[reference][encoder]") {
    const std::string name = GENERATE(as<std::string>{}, "encoder_layer_post_relu",
                                      "encoder_layer_post_gelu", "encoder_layer_pre_relu",
                                      "encoder_layer_pre_gelu");
    INFO("fixture " << name);
    Fixture f(name);
    EncoderLayer layer(f.model_config());
    ParamList params;
    layer.params("", params);
    load_params(f.weights(), params);
    check_close("output", layer.forward(f.npy("input"), f.mask("mask")), f.npy("output"),
                kForwardTolerance);

    layer.zero_grad();
    check_close("grad_input", layer.backward(f.npy("grad_output")), f.npy("grad_input"),
                kGradientTolerance);
    check_param_grads(f, params);
}

TEST_CASE("a decoder layer matches nn.TransformerDecoderLayer: output, dL/dy, dL/dmemory and "
          "every parameter gradient",
          "[reference][decoder]") {
    const std::string name = GENERATE(as<std::string>{}, "decoder_layer_post_relu",
                                      "decoder_layer_post_gelu", "decoder_layer_pre_relu",
                                      "decoder_layer_pre_gelu");
    INFO("fixture " << name);
    Fixture f(name);
    DecoderLayer layer(f.model_config());
    ParamList params;
    layer.params("", params);
    load_params(f.weights(), params);
    check_close("output",
                layer.forward(f.npy("input"), f.npy("memory"), f.mask("tgt_mask"),
                              f.mask("memory_mask")),
                f.npy("output"), kForwardTolerance);

    layer.zero_grad();
    const DecoderLayer::Grads g = layer.backward(f.npy("grad_output"));
    check_close("grad_input", g.dy, f.npy("grad_input"), kGradientTolerance);
    check_close("grad_memory", g.dmemory, f.npy("grad_memory"), kGradientTolerance);
    check_param_grads(f, params);
}

TEST_CASE("a 2-layer encoder stack matches nn.TransformerEncoder (pre-LN with its final norm)",
          "[reference][encoder]") {
    const std::string name =
        GENERATE(as<std::string>{}, "encoder_stack_post_relu", "encoder_stack_pre_gelu");
    INFO("fixture " << name);
    Fixture f(name);
    Encoder encoder(f.model_config());
    REQUIRE(encoder.layers.size() == 2);
    CHECK(encoder.has_final_norm == f.flag("final_norm"));
    ParamList params;
    encoder.params("", params);
    load_params(f.weights(), params);
    check_close("output", encoder.forward(f.npy("input"), f.mask("mask")), f.npy("output"),
                kForwardTolerance);

    encoder.zero_grad();
    check_close("grad_input", encoder.backward(f.npy("grad_output")), f.npy("grad_input"),
                kGradientTolerance);
    check_param_grads(f, params);
}

TEST_CASE("a 2-layer decoder stack matches nn.TransformerDecoder, dL/dmemory summed over layers",
          "[reference][decoder]") {
    const std::string name =
        GENERATE(as<std::string>{}, "decoder_stack_post_relu", "decoder_stack_pre_gelu");
    INFO("fixture " << name);
    Fixture f(name);
    Decoder decoder(f.model_config());
    REQUIRE(decoder.layers.size() == 2);
    CHECK(decoder.has_final_norm == f.flag("final_norm"));
    ParamList params;
    decoder.params("", params);
    load_params(f.weights(), params);
    check_close("output",
                decoder.forward(f.npy("input"), f.npy("memory"), f.mask("tgt_mask"),
                                f.mask("memory_mask")),
                f.npy("output"), kForwardTolerance);

    decoder.zero_grad();
    const Decoder::Grads g = decoder.backward(f.npy("grad_output"));
    check_close("grad_input", g.dy, f.npy("grad_input"), kGradientTolerance);
    check_close("grad_memory", g.dmemory, f.npy("grad_memory"), kGradientTolerance);
    check_param_grads(f, params);
}
