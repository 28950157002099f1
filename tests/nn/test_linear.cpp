#include "core/error.hpp"
#include "nn/linear.hpp"
#include "nn/param_gradcheck.hpp"

#include "support/catch.hpp"

#include <cmath>

using namespace tfm;

TEST_CASE("linear computes x times weight-transpose plus bias, worked by hand", "[linear]") {
    Linear layer(2, 3);
    layer.weight = {{1.0, 2.0}, {3.0, 4.0}, {5.0, 6.0}};  // [out 3 × in 2]
    layer.bias = {{1.0, 0.0, -1.0}};
    const arma::mat x = {{1.0, 1.0}, {2.0, -1.0}};
    // row 0: [1+2+1, 3+4+0, 5+6−1] = [4, 7, 10]
    // row 1: [2−2+1, 6−4+0, 10−6−1] = [1, 2, 3]
    const arma::mat expected = {{4.0, 7.0, 10.0}, {1.0, 2.0, 3.0}};
    const arma::mat y = layer.forward(x);
    INFO("y\n" << y);
    CHECK(arma::approx_equal(y, expected, "absdiff", 0.0));
}

TEST_CASE(
    "linear init is Xavier-uniform for the weight, within 1/sqrt(in) for the bias, and shapes "
    "are (out × in)",
    "[linear]") {
    Linear layer(9, 4);
    CHECK(arma::size(layer.weight) == arma::size(4, 9));
    CHECK(arma::size(layer.bias) == arma::size(1, 4));
    CHECK(arma::abs(layer.weight).max() <= std::sqrt(6.0 / 13.0));
    CHECK(arma::abs(layer.bias).max() <= 1.0 / 3.0);
    CHECK(arma::accu(arma::abs(layer.weight_grad)) == 0.0);
    Linear no_bias(9, 4, false);
    CHECK(no_bias.bias.is_empty());
    ParamList params;
    no_bias.params("p.", params);
    REQUIRE(params.size() == 1);
    CHECK(params[0].name == "p.weight");
}

TEST_CASE("linear params and shapes agree", "[linear][params]") {
    Linear layer(5, 3);
    ParamList params;
    layer.params("wq.", params);
    ShapeList shapes;
    Linear::shapes("wq.", 5, 3, shapes);
    test::check_shapes_match(params, shapes);
    CHECK(params[0].name == "wq.weight");
    CHECK(params[1].name == "wq.bias");
}

TEST_CASE("linear rejects an input of the wrong width", "[linear]") {
    Linear layer(5, 3);
    CHECK_THROWS_AS(layer.forward(arma::mat(2, 3, arma::fill::zeros)), InputError);
}

TEST_CASE("linear backward matches central differences", "[linear][backward][gradcheck]") {
    Linear layer(5, 3);
    arma::mat x = arma::randn(4, 5);
    const arma::mat g = arma::randn(4, 3);
    const auto loss = [&] { return arma::accu(layer.forward(x) % g); };
    layer.forward(x);
    const arma::mat dx = layer.backward(g);
    ParamList params;
    layer.params("", params);
    test::check_param_grads(params, loss);
    test::check_input_grad("x", dx, x, loss);
}

TEST_CASE("linear gradients add up: two half-batches equal one batch", "[linear][backward]") {
    Linear layer(5, 3);
    const arma::mat x = arma::randn(6, 5);
    const arma::mat g = arma::randn(6, 3);
    layer.forward(x);
    layer.backward(g);
    const arma::mat weight_grad = layer.weight_grad, bias_grad = layer.bias_grad;

    layer.zero_grad();
    CHECK(arma::accu(arma::abs(layer.weight_grad)) == 0.0);
    layer.forward(x.rows(0, 2));
    layer.backward(g.rows(0, 2));
    layer.forward(x.rows(3, 5));
    layer.backward(g.rows(3, 5));
    CHECK(arma::approx_equal(layer.weight_grad, weight_grad, "absdiff", 1e-12));
    CHECK(arma::approx_equal(layer.bias_grad, bias_grad, "absdiff", 1e-12));
}
