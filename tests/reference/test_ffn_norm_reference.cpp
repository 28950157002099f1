// LayerNorm, the position-wise FFN (ReLU, exact GELU) and lesson 05's block
// (post-LN LN(x + FFN(x)), pre-LN x + FFN(LN(x))) against PyTorch in float64:
// outputs, dL/dx and every parameter's gradient for L = Σ output ⊙ G.
#include "nn/feed_forward.hpp"
#include "nn/ffn_block.hpp"
#include "nn/layer_norm.hpp"
#include "ops/activation.hpp"
#include "reference/fixture.hpp"

#include "support/catch.hpp"

using namespace tfm;
using namespace tfm::test;

TEST_CASE("LayerNorm matches PyTorch's nn.LayerNorm, rows with offsets from 0 to 1000",
          "[reference][layer_norm]") {
    Fixture f("layer_norm");
    LayerNorm norm(f.integer("d_model"), f.number("eps"));
    load_fixture_weights(f, norm);
    check_close("output", norm.forward(f.npy("input")), f.npy("output"), kForwardTolerance);
}

TEST_CASE("LayerNorm gradients match PyTorch autograd", "[reference][layer_norm][backward]") {
    Fixture f("layer_norm");
    LayerNorm norm(f.integer("d_model"), f.number("eps"));
    const ParamList params = load_fixture_weights(f, norm);
    norm.zero_grad();
    norm.forward(f.npy("input"));
    check_close("grad_input", norm.backward(f.npy("grad_output")), f.npy("grad_input"),
                kGradientTolerance);
    check_param_grads(f, params);
}

TEST_CASE("the feed-forward network matches PyTorch with ReLU and with exact GELU",
          "[reference][ffn]") {
    const std::string name = GENERATE(as<std::string>{}, "ffn_relu", "ffn_gelu");
    INFO("fixture " << name);
    Fixture f(name);
    FeedForward ffn(f.integer("d_model"), f.integer("d_ff"),
                    parse_activation(f.text("activation")));
    check_single_input_module(f, ffn, [&](const arma::mat& x) { return ffn.forward(x); });
}

TEST_CASE("lesson 05's FFN block matches PyTorch in post-LN and pre-LN order, ReLU and GELU",
          "[reference][ffn_block]") {
    const std::string name =
        GENERATE(as<std::string>{}, "ffn_block_post_relu", "ffn_block_post_gelu",
                 "ffn_block_pre_relu", "ffn_block_pre_gelu");
    INFO("fixture " << name);
    Fixture f(name);
    FfnBlock block(f.integer("d_model"), f.integer("d_ff"), parse_activation(f.text("activation")),
                   f.flag("norm_first"));
    check_single_input_module(f, block, [&](const arma::mat& x) { return block.forward(x); });
}
