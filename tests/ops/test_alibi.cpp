#include "core/error.hpp"
#include "ops/alibi.hpp"
#include "ops/attention.hpp"

#include "support/catch.hpp"

#include <cmath>

using namespace tfm;

TEST_CASE("ALiBi's slopes: 2^(−8(j+1)/h), and the paper's recipe between powers of two",
          "[alibi]") {
    const arma::rowvec eight = alibi_slopes(8);
    for (arma::uword j = 0; j < 8; ++j) CHECK(eight(j) == std::pow(2.0, -double(j + 1)));
    CHECK(arma::approx_equal(alibi_slopes(2), arma::rowvec{1.0 / 16, 1.0 / 256}, "absdiff", 0.0));
    // h = 6: the 4 slopes of h = 4, then slopes 0 and 2 of h = 8.
    const arma::rowvec six = {0.25, 0.0625, 0.015625, 0.00390625, 0.5, 0.125};
    CHECK(arma::approx_equal(alibi_slopes(6), six, "absdiff", 0.0));
    CHECK_THROWS_AS(alibi_slopes(0), InputError);
}

TEST_CASE("ALiBi's bias is −m·|i − t|", "[alibi]") {
    const arma::mat expected = {{0.0, -0.5, -1.0}, {-0.5, 0.0, -0.5}};
    CHECK(arma::approx_equal(alibi_bias(2, 3, 0.5), expected, "absdiff", 0.0));
}

TEST_CASE("attention adds the bias to the scaled scores, and backward ignores it",
          "[alibi][attention]") {
    const arma::mat q = arma::randn(4, 2), k = arma::randn(4, 2), v = arma::randn(4, 2);
    const arma::mat bias = alibi_bias(4, 4, 0.5);
    const AttentionResult plain = scaled_dot_product_attention(q, k, v);
    const AttentionResult biased = scaled_dot_product_attention(q, k, v, {}, bias);
    CHECK(arma::approx_equal(biased.scaled, plain.scaled + bias, "absdiff", 1e-15));
    CHECK(arma::abs(biased.output - plain.output).max() > 1e-3);
    CHECK_THROWS_AS(scaled_dot_product_attention(q, k, v, {}, alibi_bias(3, 4, 0.5)), InputError);
}
