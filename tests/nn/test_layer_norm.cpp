#include "core/error.hpp"
#include "nn/layer_norm.hpp"
#include "nn/param_gradcheck.hpp"

#include "support/catch.hpp"

#include <cmath>

using namespace tfm;

TEST_CASE("layer norm of a row, worked by hand", "[layer_norm]") {
    // x = [1, 2, 3, 4]: μ = 2.5, σ² = (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25 (biased),
    // x̂ = [−1.5, −0.5, 0.5, 1.5] / √(1.25 + 1e-5); y = x̂ ⊙ [1, 2, 1, 2] + [0, 0, 1, −1].
    LayerNorm norm(4);
    norm.weight = {{1.0, 2.0, 1.0, 2.0}};
    norm.bias = {{0.0, 0.0, 1.0, -1.0}};
    const arma::mat x = {{1.0, 2.0, 3.0, 4.0}};
    const double s = std::sqrt(1.25 + 1e-5);
    const arma::mat xhat = {{-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s}};
    const arma::mat expected = {{-1.5 / s, -1.0 / s, 0.5 / s + 1.0, 3.0 / s - 1.0}};
    const arma::mat y = norm.forward(x);
    INFO("y\n" << y);
    CHECK(norm.mean_(0) == 2.5);
    CHECK(norm.var_(0) == 1.25);
    CHECK(arma::approx_equal(norm.xhat_, xhat, "absdiff", 1e-15));
    CHECK(arma::approx_equal(y, expected, "absdiff", 1e-15));
}

TEST_CASE("layer norm rows have mean 0 and biased variance 1 before the affine step",
          "[layer_norm]") {
    // 3 tokens × 7 features, each row on its own scale and offset.
    LayerNorm norm(7);
    norm.weight = arma::randn(1, 7);
    norm.bias = arma::randn(1, 7);
    arma::mat x = arma::randn(3, 7);
    x.row(0) = x.row(0) * 100.0 + 50.0;
    x.row(2) = x.row(2) * 0.5 - 3.0;
    norm.forward(x);
    const arma::colvec means = arma::mean(norm.xhat_, 1);
    const arma::colvec vars = arma::var(norm.xhat_, 1, 1);  // norm_type 1: divide by N
    INFO("x̂\n" << norm.xhat_ << "means\n" << means << "variances\n" << vars);
    CHECK(arma::approx_equal(means, arma::colvec(3, arma::fill::zeros), "absdiff", 1e-14));
    // Variance is σ²/(σ² + ε), a hair below 1: exactly 1 up to ε/σ².
    const arma::colvec expected = norm.var_ / (norm.var_ + norm.eps);
    CHECK(arma::approx_equal(vars, expected, "absdiff", 1e-12));
    CHECK(arma::approx_equal(norm.var_, arma::var(x, 1, 1), "absdiff", 1e-9));
}

TEST_CASE("layer norm starts as the identity affine map and its names match shapes",
          "[layer_norm][params]") {
    LayerNorm norm(5);
    CHECK(arma::approx_equal(norm.weight, arma::mat(1, 5, arma::fill::ones), "absdiff", 0.0));
    CHECK(arma::approx_equal(norm.bias, arma::mat(1, 5, arma::fill::zeros), "absdiff", 0.0));
    CHECK(norm.eps == 1e-5);
    ParamList params;
    norm.params("norm1.", params);
    ShapeList shapes;
    LayerNorm::shapes("norm1.", 5, shapes);
    test::check_shapes_match(params, shapes);
    CHECK(params[0].name == "norm1.weight");
    CHECK(params[1].name == "norm1.bias");
    CHECK_THROWS_AS(norm.forward(arma::randn(2, 4)), InputError);
}

TEST_CASE("layer norm backward matches central differences", "[layer_norm][backward][gradcheck]") {
    LayerNorm norm(6);
    norm.weight = arma::randn(1, 6);
    norm.bias = arma::randn(1, 6);
    arma::mat x = arma::randn(4, 6);
    const arma::mat g = arma::randn(4, 6);
    const auto loss = [&] { return arma::accu(norm.forward(x) % g); };
    norm.forward(x);
    const arma::mat dx = norm.backward(g);
    ParamList params;
    norm.params("", params);
    test::check_param_grads(params, loss);
    test::check_input_grad("x", dx, x, loss);
}

TEST_CASE("layer norm gradients add up: two half-batches equal one batch",
          "[layer_norm][backward]") {
    LayerNorm norm(6);
    norm.weight = arma::randn(1, 6);
    const arma::mat x = arma::randn(4, 6), g = arma::randn(4, 6);
    norm.forward(x);
    const arma::mat dx = norm.backward(g);
    const arma::mat weight_grad = norm.weight_grad, bias_grad = norm.bias_grad;
    norm.zero_grad();
    norm.forward(x.rows(0, 1));
    const arma::mat dx_top = norm.backward(g.rows(0, 1));
    norm.forward(x.rows(2, 3));
    const arma::mat dx_bottom = norm.backward(g.rows(2, 3));
    CHECK(arma::approx_equal(norm.weight_grad, weight_grad, "absdiff", 1e-12));
    CHECK(arma::approx_equal(norm.bias_grad, bias_grad, "absdiff", 1e-12));
    CHECK(arma::approx_equal(arma::join_cols(dx_top, dx_bottom), dx, "absdiff", 1e-12));
}
