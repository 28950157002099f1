#include "nn/ffn_block.hpp"
#include "nn/param_gradcheck.hpp"

#include "support/catch.hpp"

#include <cmath>

using namespace tfm;

namespace {

// The same hand-picked FFN as in test_feed_forward.cpp (d_model = 2, d_ff = 3).
void set_hand_weights(FfnBlock& block) {
    block.ffn.linear1.weight = {{1.0, 0.0}, {0.0, 1.0}, {1.0, -1.0}};
    block.ffn.linear1.bias = {{0.0, 0.0, 0.0}};
    block.ffn.linear2.weight = {{1.0, 1.0, 1.0}, {0.0, 1.0, -1.0}};
    block.ffn.linear2.bias = {{0.5, 0.0}};
}

}  // namespace

TEST_CASE("post-LN block is LayerNorm(x + FFN(x)), worked by hand", "[ffn_block]") {
    // x = [2, 3], FFN(x) = [5.5, 3] → residual [7.5, 6], μ = 6.75, σ² = 0.5625
    // → y = [0.75, −0.75] / √(0.5625 + 1e-5)
    FfnBlock block(2, 3, Activation::relu, false);
    set_hand_weights(block);
    const arma::mat y = block.forward(arma::mat{{2.0, 3.0}});
    const double s = std::sqrt(0.5625 + 1e-5);
    INFO("y\n" << y);
    CHECK(arma::approx_equal(block.ffn_out_, arma::mat{{5.5, 3.0}}, "absdiff", 0.0));
    CHECK(arma::approx_equal(block.residual_, arma::mat{{7.5, 6.0}}, "absdiff", 0.0));
    CHECK(arma::approx_equal(y, arma::mat{{0.75 / s, -0.75 / s}}, "absdiff", 1e-15));
}

TEST_CASE("pre-LN block is x + FFN(LayerNorm(x)), worked by hand", "[ffn_block]") {
    // LN([2, 3]) = [−a, a] with a = 0.5/√(0.25 + 1e-5); hidden_pre = [−a, a, −2a]
    // → ReLU [0, a, 0] → FFN = [a + 0.5, a] → y = [2.5 + a, 3 + a]
    FfnBlock block(2, 3, Activation::relu, true);
    set_hand_weights(block);
    const arma::mat y = block.forward(arma::mat{{2.0, 3.0}});
    const double a = 0.5 / std::sqrt(0.25 + 1e-5);
    INFO("y\n" << y);
    CHECK(arma::approx_equal(block.ffn_out_, arma::mat{{a + 0.5, a}}, "absdiff", 1e-15));
    CHECK(arma::approx_equal(y, arma::mat{{2.5 + a, 3.0 + a}}, "absdiff", 1e-15));
}

TEST_CASE("FFN block params and shapes agree (linear1, linear2, norm)", "[ffn_block][params]") {
    FfnBlock block(6, 10, Activation::gelu, false);
    ParamList params;
    block.params("", params);
    ShapeList shapes;
    FfnBlock::shapes("", 6, 10, shapes);
    test::check_shapes_match(params, shapes);
    REQUIRE(params.size() == 6);
    CHECK(params[0].name == "linear1.weight");
    CHECK(params[2].name == "linear2.weight");
    CHECK(params[4].name == "norm.weight");
    CHECK(params[5].name == "norm.bias");
}

TEST_CASE("FFN block backward matches central differences (post-LN and pre-LN, ReLU and GELU)",
          "[ffn_block][backward][gradcheck]") {
    for (bool norm_first : {false, true}) {
        for (Activation a : {Activation::relu, Activation::gelu}) {
            FfnBlock block(6, 10, a, norm_first);
            block.norm.weight = arma::randn(1, 6);  // not the identity, so its gradient matters
            block.norm.bias = arma::randn(1, 6);
            arma::mat x = arma::randn(4, 6);
            const arma::mat g = arma::randn(4, 6);
            const auto loss = [&] { return arma::accu(block.forward(x) % g); };
            block.forward(x);
            REQUIRE(arma::abs(block.ffn.hidden_pre_).min() > 1e-4);
            const arma::mat dx = block.backward(g);
            INFO((norm_first ? "pre-LN" : "post-LN") << ", " << to_string(a));
            ParamList params;
            block.params("", params);
            test::check_param_grads(params, loss);
            test::check_input_grad("x", dx, x, loss);
        }
    }
}

TEST_CASE("FFN block gradients add up: two half-batches equal one batch", "[ffn_block][backward]") {
    FfnBlock block(6, 10, Activation::gelu, false);
    const arma::mat x = arma::randn(4, 6), g = arma::randn(4, 6);
    ParamList params;
    block.params("", params);
    block.forward(x);
    block.backward(g);
    std::vector<arma::mat> whole;
    for (const Param& p : params) whole.push_back(*p.grad);

    block.zero_grad();
    block.forward(x.rows(0, 1));
    block.backward(g.rows(0, 1));
    block.forward(x.rows(2, 3));
    block.backward(g.rows(2, 3));
    for (std::size_t i = 0; i < params.size(); ++i) {
        INFO(params[i].name);
        CHECK(arma::approx_equal(*params[i].grad, whole[i], "absdiff", 1e-12));
    }
}
