#include "nn/feed_forward.hpp"
#include "nn/param_gradcheck.hpp"

#include "support/catch.hpp"

using namespace tfm;

namespace {

// d_model = 2, d_ff = 3 with hand-picked weights:
//   W1 = [[1, 0], [0, 1], [1, −1]], b1 = 0;  W2 = [[1, 1, 1], [0, 1, −1]], b2 = [0.5, 0]
void set_hand_weights(FeedForward& ffn) {
    ffn.linear1.weight = {{1.0, 0.0}, {0.0, 1.0}, {1.0, -1.0}};
    ffn.linear1.bias = {{0.0, 0.0, 0.0}};
    ffn.linear2.weight = {{1.0, 1.0, 1.0}, {0.0, 1.0, -1.0}};
    ffn.linear2.bias = {{0.5, 0.0}};
}

}  // namespace

TEST_CASE("feed-forward network with ReLU, worked by hand", "[ffn]") {
    // x = [2, 3]: hidden_pre = [2, 3, −1] → ReLU [2, 3, 0] → y = [2+3+0+0.5, 3−0] = [5.5, 3]
    FeedForward ffn(2, 3);
    set_hand_weights(ffn);
    const arma::mat y = ffn.forward(arma::mat{{2.0, 3.0}});
    INFO("y\n" << y);
    CHECK(arma::approx_equal(ffn.hidden_pre_, arma::mat{{2.0, 3.0, -1.0}}, "absdiff", 0.0));
    CHECK(arma::approx_equal(ffn.hidden_, arma::mat{{2.0, 3.0, 0.0}}, "absdiff", 0.0));
    CHECK(arma::approx_equal(y, arma::mat{{5.5, 3.0}}, "absdiff", 0.0));
}

TEST_CASE("feed-forward network acts on each row alone", "[ffn]") {
    FeedForward ffn(6, 10, Activation::gelu);
    const arma::mat x = arma::randn(4, 6);
    const arma::mat all = ffn.forward(x);
    for (arma::uword i = 0; i < 4; ++i)
        CHECK(arma::approx_equal(ffn.forward(x.row(i)), all.row(i), "absdiff", 1e-14));
}

TEST_CASE("feed-forward params and shapes agree", "[ffn][params]") {
    FeedForward ffn(6, 10);
    ParamList params;
    ffn.params("ffn.", params);
    ShapeList shapes;
    FeedForward::shapes("ffn.", 6, 10, shapes);
    test::check_shapes_match(params, shapes);
    REQUIRE(params.size() == 4);
    CHECK(params[0].name == "ffn.linear1.weight");
    CHECK(params[0].value->n_rows == 10);  // W1 [d_ff × d_model]
    CHECK(params[3].name == "ffn.linear2.bias");
}

TEST_CASE("feed-forward backward matches central differences (ReLU and GELU)",
          "[ffn][backward][gradcheck]") {
    for (Activation a : {Activation::relu, Activation::gelu}) {
        FeedForward ffn(6, 10, a);
        arma::mat x = arma::randn(4, 6);
        const arma::mat g = arma::randn(4, 6);
        const auto loss = [&] { return arma::accu(ffn.forward(x) % g); };
        ffn.forward(x);
        // A ReLU input within a step of 0 would make the difference quotient straddle the kink.
        REQUIRE(arma::abs(ffn.hidden_pre_).min() > 1e-4);
        const arma::mat dx = ffn.backward(g);
        INFO("activation " << to_string(a));
        ParamList params;
        ffn.params("", params);
        test::check_param_grads(params, loss);
        test::check_input_grad("x", dx, x, loss);
    }
}
