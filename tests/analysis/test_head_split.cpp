#include "analysis/head_split.hpp"

#include "core/random.hpp"

#include "support/catch.hpp"
#include <stdexcept>

using namespace tfm;

TEST_CASE("head_block takes head j's contiguous block of columns") {
    const arma::mat m = {{0, 1, 2, 3, 4, 5}, {10, 11, 12, 13, 14, 15}};
    const arma::mat expected = {{2, 3}, {12, 13}};  // 3 heads of width 2: head 1 = columns 2, 3
    const arma::mat block = head_block(m, 1, 3);
    INFO(block);
    CHECK(arma::approx_equal(block, expected, "absdiff", 0.0));
    CHECK_THROWS_AS(head_block(m, 0, 4), std::invalid_argument);
    CHECK_THROWS_AS(head_block(m, 3, 3), std::invalid_argument);
}

TEST_CASE("per-head projections by hand: head j uses rows j*d_k onward of the weight") {
    // x [1 × 2] = (1, 2); weight [4 × 2], two heads of width 2; bias (0, 0, 10, 20)
    const arma::mat x = {{1.0, 2.0}};
    const arma::mat weight = {{1, 0}, {0, 1}, {1, 1}, {2, -1}};
    const arma::mat bias = {{0.0, 0.0, 10.0, 20.0}};
    const std::vector<arma::mat> heads = project_per_head(x, weight, bias, 2);
    REQUIRE(heads.size() == 2);
    // head 0: (1·1 + 2·0, 1·0 + 2·1) = (1, 2)
    // head 1: (1 + 2 + 10, 2 − 2 + 20) = (13, 20)
    CHECK(arma::approx_equal(heads[0], arma::mat{{1.0, 2.0}}, "absdiff", 0.0));
    CHECK(arma::approx_equal(heads[1], arma::mat{{13.0, 20.0}}, "absdiff", 0.0));
}

TEST_CASE("h separate projections equal the blocks of one big projection") {
    const arma::mat x = normal(5, 6);       // n = 5 tokens, d_model = 6
    const arma::mat weight = normal(6, 6);  // 3 heads of width 2
    const arma::mat bias = normal(1, 6);
    arma::mat big = x * weight.t();
    big.each_row() += bias;
    const std::vector<arma::mat> heads = project_per_head(x, weight, bias, 3);
    REQUIRE(heads.size() == 3);
    for (arma::uword j = 0; j < 3; ++j) {
        INFO("head " << j << "\n" << heads[j] << head_block(big, j, 3));
        CHECK(arma::approx_equal(heads[j], head_block(big, j, 3), "absdiff", 1e-12));
    }
}
