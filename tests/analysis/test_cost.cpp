#include "analysis/cost.hpp"

#include "core/error.hpp"

#include <catch2/catch.hpp>

TEST_CASE("RNN multiply-adds grow linearly and attention's quadratically in T", "[cost]") {
    // d = 4, T = 10: RNN 10·(16 + 16) = 320; attention 4·10·16 + 2·100·4 = 640 + 800 = 1440.
    CHECK(tfm::rnn_macs(10, 4, 4) == 320);
    CHECK(tfm::self_attention_macs(10, 4) == 1440);
    CHECK(tfm::rnn_macs(20, 4, 4) == 2 * tfm::rnn_macs(10, 4, 4));
    // Doubling T doubles the projections and quadruples the T²·d part.
    CHECK(tfm::self_attention_macs(20, 4) == 2 * 640 + 4 * 800);
}

TEST_CASE("an RNN has T dependent steps and attention a constant number", "[cost]") {
    CHECK(tfm::rnn_dependent_steps(64) == 64);
    CHECK(tfm::rnn_dependent_steps(1024) == 1024);
    CHECK(tfm::kAttentionDependentSteps == 5);
}

TEST_CASE("median_seconds times a call and batches calls too short to time", "[cost]") {
    long calls = 0;
    const double t = tfm::median_seconds([&] { ++calls; }, 3, 1e-4);
    CHECK(t >= 0.0);
    CHECK(t < 1e-3);
    CHECK(calls > 4);  // warm-up + 3 batches, each of many calls
    CHECK_THROWS_AS(tfm::median_seconds([] {}, 0), tfm::InputError);
}

TEST_CASE("the BLAS thread count can be set and read back", "[cost]") {
    const int before = tfm::blas_threads();
    tfm::set_blas_threads(1);
    CHECK(tfm::blas_threads() == 1);
    tfm::set_blas_threads(before);
    CHECK(tfm::blas_threads() == before);
    CHECK_THROWS_AS(tfm::set_blas_threads(0), tfm::InputError);
}
