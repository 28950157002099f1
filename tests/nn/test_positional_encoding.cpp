#include "nn/positional_encoding.hpp"

#include "support/catch.hpp"

#include <cmath>

using namespace tfm;

TEST_CASE("positional encoding at known positions, worked by hand", "[positional]") {
    // d_model = 4: columns 0,1 use frequency 1; columns 2,3 use 1/10000^(2/4) = 1/100.
    //   pos 0: [sin 0, cos 0, sin 0, cos 0] = [0, 1, 0, 1]
    //   pos 1: [sin 1, cos 1, sin 0.01, cos 0.01]
    //   pos 2: [sin 2, cos 2, sin 0.02, cos 0.02]
    const arma::mat expected = {
        {0.0, 1.0, 0.0, 1.0},
        {0.8414709848078965, 0.5403023058681398, 0.009999833334166664, 0.9999500004166653},
        {std::sin(2.0), std::cos(2.0), std::sin(0.02), std::cos(0.02)}};
    const arma::mat pe = positional_encoding(3, 4);
    INFO("PE\n" << pe);
    CHECK(arma::approx_equal(pe, expected, "absdiff", 1e-15));
}

TEST_CASE("positional encoding pairs sin and cos of the same angle", "[positional]") {
    // With d_model = 6 the frequencies are 1, 10000^(−1/3), 10000^(−2/3).
    const arma::mat pe = positional_encoding(5, 6);
    REQUIRE(arma::size(pe) == arma::size(5, 6));
    for (arma::uword i = 0; i < 3; ++i) {
        const arma::colvec sum_sq = arma::square(pe.col(2 * i)) + arma::square(pe.col(2 * i + 1));
        CHECK(arma::approx_equal(sum_sq, arma::colvec(5, arma::fill::ones), "absdiff", 1e-15));
    }
    CHECK(pe(3, 2) == Approx(std::sin(3.0 / std::pow(10000.0, 1.0 / 3.0))).epsilon(1e-14));
    CHECK(pe(4, 5) == Approx(std::cos(4.0 / std::pow(10000.0, 2.0 / 3.0))).epsilon(1e-14));
}

TEST_CASE("add_positions scales embeddings by sqrt(d_model) and adds PE", "[positional]") {
    // d_model = 4: √4 = 2, so ones become 2 + PE.
    const arma::mat embeddings(3, 4, arma::fill::ones);
    const arma::mat x = add_positions(embeddings);
    const arma::mat expected = 2.0 + positional_encoding(3, 4);
    CHECK(arma::approx_equal(x, expected, "absdiff", 1e-15));
    CHECK(x(0, 1) == 3.0);  // 2 + cos 0
}
