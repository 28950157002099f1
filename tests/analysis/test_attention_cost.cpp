#include "analysis/attention_cost.hpp"

#include <catch2/catch.hpp>

using namespace tfm;

TEST_CASE("attention cost counts each product as rows times inner times columns") {
    // n = 3, d_model = 4, h = 2, d_k = 2 (so h·d_k = 4):
    //   projections 3 · (3·4·4) = 144, scores 2 · (3·2·3) = 36,
    //   mixing 2 · (3·3·2) = 36, output 3·4·4 = 48, total 264
    CHECK(matmul_madds(3, 4, 5) == 60);
    const AttentionCost c = multi_head_attention_cost(3, 4, 2, 2);
    CHECK(c.projections == 144);
    CHECK(c.scores == 36);
    CHECK(c.mixing == 36);
    CHECK(c.output == 48);
    CHECK(c.total() == 264);
}

TEST_CASE("with d_k = d_model / h the cost does not depend on the number of heads") {
    const AttentionCost one = multi_head_attention_cost(128, 512, 1, 512);
    for (arma::uword h : {2u, 4u, 8u, 16u}) {
        const AttentionCost many = multi_head_attention_cost(128, 512, h, 512 / h);
        INFO("h = " << h);
        CHECK(many.total() == one.total());
    }
    // 4·n·d² + 2·n²·d for n = 128, d = 512
    CHECK(one.total() == 4ull * 128 * 512 * 512 + 2ull * 128 * 128 * 512);
}

TEST_CASE("with d_k fixed the cost grows linearly with the number of heads") {
    const AttentionCost one = multi_head_attention_cost(128, 512, 1, 64);
    for (arma::uword h : {2u, 4u, 8u, 16u}) {
        const AttentionCost many = multi_head_attention_cost(128, 512, h, 64);
        INFO("h = " << h);
        CHECK(many.total() == h * one.total());
    }
}
