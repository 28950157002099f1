#include "analysis/matrix_stats.hpp"

#include <cmath>
#include <stdexcept>
#include "support/catch.hpp"

using namespace tfm;

TEST_CASE("max_abs_diff is the largest entry-wise distance and rejects mismatched shapes") {
    const arma::mat a = {{1.0, -2.0}, {3.0, 4.0}};
    const arma::mat b = {{1.5, -2.0}, {0.0, 4.25}};
    // |1 − 1.5| = 0.5, 0, |3 − 0| = 3, 0.25  → 3
    CHECK(max_abs_diff(a, b) == 3.0);
    CHECK(max_abs_diff(a, a) == 0.0);
    CHECK(max_abs_diff(arma::mat(), arma::mat()) == 0.0);
    CHECK_THROWS_AS(max_abs_diff(a, arma::mat(2, 3, arma::fill::zeros)), std::invalid_argument);
}

TEST_CASE("fraction_zero and fraction_negative count entries over the whole matrix") {
    const arma::mat m = {{0.0, -1.0, 2.0, 0.0}, {-0.5, 3.0, 0.0, 1.0}};
    CHECK(fraction_zero(m) == Approx(3.0 / 8.0));      // three exact zeros out of eight
    CHECK(fraction_negative(m) == Approx(2.0 / 8.0));  // −1 and −0.5
    CHECK(fraction_zero(arma::mat()) == 0.0);
}

TEST_CASE("row statistics are per token and the variance divides by the number of columns") {
    const arma::mat m = {{1.0, 2.0, 3.0, 6.0}, {-1.0, -1.0, -1.0, -1.0}, {0.0, 4.0, 0.0, 0.0}};
    // row 0: mean 3, deviations −2 −1 0 3, squares 4 1 0 9 → 14/4 = 3.5 (not 14/3)
    // row 1: mean −1, variance 0
    // row 2: mean 1, deviations −1 3 −1 −1, squares 1 9 1 1 → 12/4 = 3
    const arma::rowvec expected_mean = {3.0, -1.0, 1.0};
    const arma::rowvec expected_var = {3.5, 0.0, 3.0};
    const arma::rowvec mean = row_means(m);
    const arma::rowvec var = row_variances(m);
    INFO("mean " << mean << "var " << var);
    CHECK(arma::approx_equal(mean, expected_mean, "absdiff", 1e-15));
    CHECK(arma::approx_equal(var, expected_var, "absdiff", 1e-15));
}

TEST_CASE("rms is the square root of the mean square entry") {
    const arma::mat m = {{3.0, -4.0}, {0.0, 0.0}};  // (9 + 16) / 4 = 6.25 → 2.5
    CHECK(rms(m) == Approx(2.5));
    CHECK(rms(arma::mat()) == 0.0);
}
