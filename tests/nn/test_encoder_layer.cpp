#include "core/random.hpp"
#include "layer_gradcheck.hpp"
#include "nn/encoder.hpp"
#include "ops/mask.hpp"
#include "support/gradcheck.hpp"
#include "support/stack_config.hpp"

#include "support/catch.hpp"

using namespace tfm;
using namespace tfm::test;
using tfm::test::stacks::check_param_grads_worst;

namespace {

// Key 3 of 5 is padding: blocked for every query.
Mask pad_mask() { return padding_mask(5, {false, false, false, true, false}); }

// The module is a template parameter so one check serves a layer and a stack.
template <class Module>
void check_gradients(Module& module, const ModelConfig& config, const Mask& mask) {
    arma::mat x = normal(5, config.d_model);
    const arma::mat g = normal(5, config.d_model);
    ParamList params;
    module.params("", params);
    auto loss = [&] { return arma::accu(module.forward(x, mask) % g); };

    module.zero_grad();
    module.forward(x, mask);
    const arma::mat dx = module.backward(g);

    const arma::mat dx_numeric = numeric_grad(loss, x);
    const double dx_err = relative_error(dx, dx_numeric);
    INFO("dL/dx relative error " << dx_err);
    CHECK(dx_err <= kGradTolerance);
    const double worst = check_param_grads_worst(params, loss);
    INFO("worst parameter relative error " << worst << " (tolerance " << kGradTolerance << ")");
    CHECK(worst <= kGradTolerance);
}

}  // namespace

TEST_CASE("encoder layer gradients match finite differences for dx and every parameter",
          "[stacks][encoder]") {
    for (bool norm_first : {false, true}) {
        for (Activation act : {Activation::relu, Activation::gelu}) {
            DYNAMIC_SECTION((norm_first ? "pre-LN " : "post-LN ") << to_string(act)) {
                const ModelConfig config = small_stack_config(norm_first, act);
                EncoderLayer layer(config);
                check_gradients(layer, config, pad_mask());
            }
        }
    }
}

TEST_CASE("a 2-layer encoder stack's gradients match finite differences", "[stacks][encoder]") {
    for (bool norm_first : {false, true}) {
        DYNAMIC_SECTION((norm_first ? "pre-LN" : "post-LN")) {
            const ModelConfig config = small_stack_config(norm_first, Activation::gelu, 2);
            Encoder encoder(config, config.encoder_layers);
            check_gradients(encoder, config, pad_mask());
        }
    }
}

TEST_CASE("an encoder stack feeds each layer the previous layer's output", "[stacks][encoder]") {
    for (bool norm_first : {false, true}) {
        DYNAMIC_SECTION((norm_first ? "pre-LN" : "post-LN")) {
            const ModelConfig config = small_stack_config(norm_first, Activation::relu, 3);
            Encoder encoder(config, config.encoder_layers);
            const arma::mat x = normal(4, config.d_model);
            const arma::mat out = encoder.forward(x);

            arma::mat h = x;
            for (EncoderLayer& layer : encoder.layers) h = layer.forward(h);
            if (norm_first) h = encoder.norm.forward(h);
            INFO("stack\n" << out << "by hand\n" << h);
            CHECK(arma::approx_equal(out, h, "absdiff", 1e-14));
            REQUIRE(encoder.layer_outputs_.size() == 3);
            CHECK(arma::approx_equal(encoder.layer_outputs_[2], encoder.layers[2].output_,
                                     "absdiff", 0.0));
        }
    }
}

TEST_CASE("a pre-LN encoder layer whose sub-layers output zero is the identity",
          "[stacks][encoder]") {
    // y = a + FFN(LN2(a)), a = x + SelfAttn(LN1(x)): with wo and linear2 all zero both
    // sub-layers add exactly 0, so y = x bit for bit.
    EncoderLayer layer(small_stack_config(true, Activation::relu));
    layer.self_attn.wo.weight.zeros();
    layer.self_attn.wo.bias.zeros();
    layer.ffn.linear2.weight.zeros();
    layer.ffn.linear2.bias.zeros();
    const arma::mat x = normal(3, 8);
    CHECK(arma::approx_equal(layer.forward(x), x, "absdiff", 0.0));
}

TEST_CASE("a post-LN encoder layer ends with a LayerNorm: every output row has mean 0, variance ~1",
          "[stacks][encoder]") {
    EncoderLayer layer(small_stack_config(false, Activation::relu));
    const arma::mat y = layer.forward(normal(4, 8));
    const arma::colvec mean = arma::mean(y, 1);
    const arma::colvec var = arma::mean(arma::square(y.each_col() - mean), 1);
    INFO("y\n" << y);
    CHECK(arma::approx_equal(mean, arma::colvec(4, arma::fill::zeros), "absdiff", 1e-12));
    // variance = σ²/(σ²+ε) < 1, and close to 1 for inputs of unit scale
    CHECK(arma::all(var < 1.0));
    CHECK(arma::all(var > 0.99));
}

TEST_CASE("encoder parameter names follow DESIGN §5, with a final norm only when pre-LN",
          "[stacks][encoder]") {
    ModelConfig config = small_stack_config(false, Activation::relu, 2);
    Encoder post(config, config.encoder_layers);
    ParamList names;
    post.params("encoder.", names);
    REQUIRE(names.size() == 2 * (8 + 2 + 4 + 2));
    CHECK(names.front().name == "encoder.layers.0.self_attn.wq.weight");
    CHECK(names.back().name == "encoder.layers.1.norm2.bias");

    config.norm_first = true;
    Encoder pre(config, config.encoder_layers);
    ParamList pre_names;
    pre.params("encoder.", pre_names);
    REQUIRE(pre_names.size() == names.size() + 2);
    CHECK(pre_names[pre_names.size() - 2].name == "encoder.norm.weight");
    CHECK(pre_names.back().name == "encoder.norm.bias");
}
