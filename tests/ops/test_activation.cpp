#include "core/error.hpp"
#include "ops/activation.hpp"
#include "support/gradcheck.hpp"

#include "support/catch.hpp"

using namespace tfm;

TEST_CASE("relu keeps positives and zeroes the rest", "[activation]") {
    const arma::mat x = {{-2.0, 0.0, 3.0}, {0.5, -0.1, 7.0}};
    const arma::mat expected = {{0.0, 0.0, 3.0}, {0.5, 0.0, 7.0}};
    const arma::mat y = activate(Activation::relu, x);
    INFO("relu(x)\n" << y);
    CHECK(arma::approx_equal(y, expected, "absdiff", 0.0));
}

TEST_CASE("gelu is x times the normal CDF, exactly (erf, not tanh)", "[activation]") {
    // Φ(1) = 0.8413447460685429, Φ(2) = 0.9772498680518208, Φ(−0.5) = 0.3085375387259869
    // (normal-table values), so gelu(1) = Φ(1), gelu(−1) = −Φ(−1) = −(1 − Φ(1)),
    // gelu(2) = 2·Φ(2), gelu(−0.5) = −0.5·Φ(−0.5). The tanh approximation differs at 1e-4.
    const arma::mat x = {{1.0, -1.0, 2.0}, {0.0, -0.5, 0.0}};
    const arma::mat expected = {{0.8413447460685429, -0.15865525393145707, 1.9544997361036416},
                                {0.0, -0.15426876936299344, 0.0}};
    const arma::mat y = activate(Activation::gelu, x);
    INFO("gelu(x)\n" << y);
    CHECK(arma::approx_equal(y, expected, "absdiff", 1e-15));
}

TEST_CASE("activation names parse and print, anything else is an input error", "[activation]") {
    CHECK(parse_activation("relu") == Activation::relu);
    CHECK(parse_activation("gelu") == Activation::gelu);
    CHECK(to_string(Activation::relu) == "relu");
    CHECK(to_string(Activation::gelu) == "gelu");
    CHECK_THROWS_AS(parse_activation("tanh"), InputError);
    CHECK_THROWS_AS(parse_activation("ReLU"), InputError);
}

TEST_CASE("relu backward passes the gradient where x > 0 only", "[activation][backward]") {
    // relu'(0) = 0, as PyTorch.
    const arma::mat x = {{-2.0, 0.0, 3.0}};
    const arma::mat dy = {{5.0, 6.0, 7.0}};
    const arma::mat expected = {{0.0, 0.0, 7.0}};
    CHECK(arma::approx_equal(activate_backward(Activation::relu, x, dy), expected, "absdiff", 0.0));
}

TEST_CASE("activation backward matches central differences", "[activation][backward][gradcheck]") {
    for (Activation a : {Activation::relu, Activation::gelu}) {
        // Keep relu's inputs away from the kink at 0, where differences are meaningless.
        arma::mat x = arma::randn(3, 5);
        x.elem(arma::find(arma::abs(x) < 1e-3)).fill(0.5);
        const arma::mat g = arma::randn(3, 5);
        const arma::mat dx = activate_backward(a, x, g);
        const arma::mat numeric =
            test::numeric_grad([&] { return arma::accu(activate(a, x) % g); }, x);
        const double error = test::relative_error(dx, numeric);
        INFO(to_string(a) << ": relative error " << error);
        CHECK(error <= test::kGradTolerance);
    }
}

TEST_CASE("gelu's kept Φ(x) gives the same forward and backward, bit for bit",
          "[activation][backward]") {
    arma::arma_rng::set_seed(5);
    arma::mat x = 4.0 * arma::randn(7, 9);
    x(0, 0) = 0.0;
    x(1, 0) = -40.0;  // Φ underflows to 0
    x(2, 0) = 40.0;   // Φ is 1
    const arma::mat dy = arma::randn(7, 9);
    for (const tfm::Activation a : {tfm::Activation::gelu, tfm::Activation::relu}) {
        arma::mat cdf;
        const arma::mat kept = tfm::activate(a, x, &cdf);
        CHECK(cdf.is_empty() == (a == tfm::Activation::relu));
        const arma::mat plain = tfm::activate(a, x);
        CHECK(arma::approx_equal(kept, plain, "absdiff", 0.0));
        CHECK(arma::approx_equal(tfm::activate_backward(a, x, dy, &cdf),
                                 tfm::activate_backward(a, x, dy), "absdiff", 0.0));
    }
    // A Φ kept for another x is refused, not read past its end.
    arma::mat cdf;
    tfm::activate(tfm::Activation::gelu, x.rows(0, 2), &cdf);
    CHECK_THROWS(tfm::activate_backward(tfm::Activation::gelu, x, dy, &cdf));
}
