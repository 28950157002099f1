// Lesson 03's own numbers: the kept-and-blocked table of a mask, and the variance of
// scores with and without the division by √d_k.
#include "course/lesson_03.hpp"

#include "core/random.hpp"
#include "ops/mask.hpp"

#include <cmath>
#include <string>
#include <vector>
#include "support/catch.hpp"

using namespace tfm;
using namespace tfm::course;

TEST_CASE("the causal mask's table lets query i keep keys 0 … i and blocks the rest") {
    const TextTable t = kept_and_blocked_table(causal_mask(3), {"a", "b", "c"});
    REQUIRE(t.rows.size() == 3);
    CHECK(t.rows[0] == std::vector<std::string>{"0 a", "a", "b, c"});
    CHECK(t.rows[2] == std::vector<std::string>{"2 c", "a, b, c", "(none)"});
    const TextTable none = kept_and_blocked_table(Mask(), {"a", "b"});
    CHECK(none.rows[0][2] == "(none)");
    CHECK(none.rows[1][2] == "(none)");
}

TEST_CASE("score_stats measures the variance of all scores and the mean largest softmax weight") {
    const double l3 = std::log(3.0);
    const arma::mat scores = {{0.0, 0.0}, {l3, 0.0}};
    // row 0: softmax(0, 0) = (1/2, 1/2) → max 1/2
    // row 1: softmax(ln 3, 0) = (3/4, 1/4) → max 3/4     mean of maxima = 5/8
    // entries 0, 0, ln3, 0: mean ln3/4; squares of deviations 3·(ln3/4)² + (3 ln3/4)²
    //   = 12/16 · ln3², divided by 4 entries → 3/16 · ln3²
    const ScoreStats s = score_stats(scores);
    CHECK(s.mean_max_weight == Approx(5.0 / 8.0).epsilon(1e-14));
    CHECK(s.variance == Approx(3.0 / 16.0 * l3 * l3).epsilon(1e-14));
}

TEST_CASE(
    "unscaled scores of random unit-variance vectors have variance d_k, scaled ones about 1") {
    set_seed(7);
    // 20000 · 4 independent scores: the sample variance is within ~1% of the truth
    // (relative standard error ≈ √(2/80000)); 5% leaves a wide margin.
    for (arma::uword d_k : {4u, 64u}) {
        const ScalingMeasurement m = measure_score_scaling(d_k, 4, 20000);
        INFO("d_k " << d_k << ": raw variance " << m.raw.variance << ", scaled "
                    << m.scaled.variance);
        CHECK(m.raw.variance == Approx(static_cast<double>(d_k)).epsilon(0.05));
        CHECK(m.scaled.variance == Approx(1.0).epsilon(0.05));
    }
}

TEST_CASE("without scaling softmax gets more peaked as d_k grows; with scaling it does not") {
    set_seed(11);
    const ScalingMeasurement small = measure_score_scaling(4, 6, 4000);
    const ScalingMeasurement large = measure_score_scaling(256, 6, 4000);
    INFO("mean max weight raw: d_k 4 " << small.raw.mean_max_weight << ", d_k 256 "
                                       << large.raw.mean_max_weight);
    INFO("mean max weight scaled: d_k 4 " << small.scaled.mean_max_weight << ", d_k 256 "
                                          << large.scaled.mean_max_weight);
    // Six keys: uniform weights would give a maximum of 1/6.
    CHECK(large.raw.mean_max_weight > 0.9);
    CHECK(large.raw.mean_max_weight > small.raw.mean_max_weight + 0.2);
    CHECK(std::abs(large.scaled.mean_max_weight - small.scaled.mean_max_weight) < 0.05);
    CHECK(large.scaled.mean_max_weight < 0.7);
}
