#include "analysis/cost.hpp"

#include "core/error.hpp"

#include "support/catch.hpp"

using namespace tfm;

TEST_CASE("attention cost counts each product as rows times inner times columns", "[cost]") {
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

TEST_CASE("with d_k = d_model / h the cost does not depend on the number of heads", "[cost]") {
    const AttentionCost one = multi_head_attention_cost(128, 512, 1, 512);
    for (arma::uword h : {2u, 4u, 8u, 16u}) {
        const AttentionCost many = multi_head_attention_cost(128, 512, h, 512 / h);
        INFO("h = " << h);
        CHECK(many.total() == one.total());
    }
    // 4·n·d² + 2·n²·d for n = 128, d = 512
    CHECK(one.total() == 4ull * 128 * 512 * 512 + 2ull * 128 * 128 * 512);
}

TEST_CASE("with d_k fixed the cost grows linearly with the number of heads", "[cost]") {
    const AttentionCost one = multi_head_attention_cost(128, 512, 1, 64);
    for (arma::uword h : {2u, 4u, 8u, 16u}) {
        const AttentionCost many = multi_head_attention_cost(128, 512, h, 64);
        INFO("h = " << h);
        CHECK(many.total() == h * one.total());
    }
}

TEST_CASE("RNN multiply-adds grow linearly and attention's quadratically in T", "[cost]") {
    // d = 4, T = 10: RNN 10·(16 + 16) = 320; attention 4·10·16 + 2·100·4 = 640 + 800 = 1440.
    CHECK(rnn_macs(10, 4, 4) == 320);
    CHECK(self_attention_macs(10, 4) == 1440);
    CHECK(rnn_macs(20, 4, 4) == 2 * rnn_macs(10, 4, 4));
    // Doubling T doubles the projections and quadruples the T²·d part.
    CHECK(self_attention_macs(20, 4) == 2 * 640 + 4 * 800);
}

TEST_CASE("an RNN has T dependent steps and attention a constant number", "[cost]") {
    CHECK(rnn_dependent_steps(64) == 64);
    CHECK(rnn_dependent_steps(1024) == 1024);
    CHECK(kAttentionDependentSteps == 5);
}

TEST_CASE("median_seconds times a call and batches calls too short to time", "[cost]") {
    long calls = 0;
    const double t = median_seconds([&] { ++calls; }, 3, 1e-4);
    CHECK(t >= 0.0);
    CHECK(t < 1e-3);
    CHECK(calls > 4);  // warm-up + 3 batches, each of many calls
    CHECK_THROWS_AS(median_seconds([] {}, 0), InputError);
}

TEST_CASE("the BLAS thread count can be set and read back", "[cost]") {
    const int before = blas_threads();
    set_blas_threads(1);
    CHECK(blas_threads() == 1);
    set_blas_threads(before);
    CHECK(blas_threads() == before);
    CHECK_THROWS_AS(set_blas_threads(0), InputError);
}
