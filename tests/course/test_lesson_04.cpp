// Lesson 04's own numbers: heads as column blocks, one big projection against h small
// ones, and the multiply-adds of h heads.
#include "course/lesson_04.hpp"

#include "core/random.hpp"
#include "nn/multi_head_attention.hpp"
#include "support/table_column.hpp"

#include <stdexcept>
#include <string>
#include <vector>
#include "support/catch.hpp"

using namespace tfm;
using namespace tfm::course;
using tfm::test::column;

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

TEST_CASE("the head cost table is flat with d_k = d_model / h and grows like h with d_k fixed") {
    const std::vector<std::string> heads = {"1", "2", "4", "8", "16"};
    const TextTable flat = head_cost_table(128, 512, 0);
    CHECK(column(flat, "h") == heads);
    CHECK(column(flat, "× h=1") == std::vector<std::string>(5, "1.00"));
    // 4·n·d² + 2·n²·d = 4·128·512² + 2·128²·512 = 150,994,944.
    CHECK(column(flat, "total") == std::vector<std::string>(5, "150,994,944"));
    const TextTable fixed = head_cost_table(128, 512, 64);
    CHECK(column(fixed, "× h=1") ==
          std::vector<std::string>{"1.00", "2.00", "4.00", "8.00", "16.00"});
    // What grows with h even at fixed d_model: h·n² weights, 128² = 16,384 per head.
    CHECK(column(flat, "h·n² weights") ==
          std::vector<std::string>{"16,384", "32,768", "65,536", "131,072", "262,144"});
}

TEST_CASE("one big projection split into heads equals the heads' own products") {
    set_seed(5);
    MultiHeadAttention mha(8, 2);
    const arma::mat x = normal(4, 8);
    mha.forward(x, x, Mask());
    const TextTable t = head_split_table(mha, x);
    CHECK(column(t, "projection") == std::vector<std::string>{"Q", "K", "V"});
    CHECK(column(t, "h separate products") == std::vector<std::string>(3, "2 × [4 × 4]"));
    for (const std::string& diff : column(t, "max |small − block of big|"))
        CHECK(diff.size() <= 7);  // 0 or ~1e-16
}
