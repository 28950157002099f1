#include "core/error.hpp"
#include "ops/mask.hpp"
#include "ops/softmax.hpp"
#include "support/gradcheck.hpp"

#include "support/catch.hpp"

#include <cmath>

using namespace tfm;

TEST_CASE("softmax of a 2×3 with a mask, worked by hand", "[softmax]") {
    // Row 0: [0, ln 2, 5] with key 2 blocked → exp: [1, 2, —] → [1/3, 2/3, 0].
    // Row 1: [ln 3, 9, 0] with key 1 blocked → exp: [3, —, 1] → [3/4, 0, 1/4].
    const arma::mat scores = {{0.0, std::log(2.0), 5.0}, {std::log(3.0), 9.0, 0.0}};
    const Mask mask = {{0, 0, 1}, {0, 1, 0}};
    const arma::mat expected = {{1.0 / 3, 2.0 / 3, 0.0}, {0.75, 0.0, 0.25}};
    const arma::mat w = softmax_rows(scores, mask);
    INFO("weights\n" << w);
    CHECK(arma::approx_equal(w, expected, "absdiff", 1e-15));
}

TEST_CASE("softmax without a mask: exp over the row sum", "[softmax]") {
    // [0, ln 2, ln 5] → [1, 2, 5] / 8
    const arma::mat scores = {{0.0, std::log(2.0), std::log(5.0)}};
    const arma::mat expected = {{0.125, 0.25, 0.625}};
    CHECK(arma::approx_equal(softmax_rows(scores), expected, "absdiff", 1e-15));
}

TEST_CASE("softmax rows sum to one even for huge logits", "[softmax]") {
    // Without subtracting the row max, exp(1000) = inf and inf/inf = NaN.
    const arma::mat scores = {{1000.0, 1001.0, 999.0},
                              {1e300, -1e300, 0.0},
                              {-1e300, -1e300, -1e300},
                              {1e308, 1e308, -1e308}};
    const arma::mat w = softmax_rows(scores);
    INFO("weights\n" << w);
    REQUIRE(w.is_finite());
    CHECK(arma::approx_equal(arma::sum(w, 1), arma::colvec(4, arma::fill::ones), "absdiff", 1e-15));
    // Row 0 is softmax([0, 1, −1]): e / (1 + e + 1/e).
    const double e = std::exp(1.0);
    CHECK(w(0, 1) == Approx(e / (1.0 + e + 1.0 / e)).epsilon(1e-14));
    CHECK(w(1, 0) == 1.0);
    CHECK(arma::approx_equal(w.row(2), arma::rowvec(3, arma::fill::value(1.0 / 3)), "absdiff",
                             1e-15));
    CHECK(arma::approx_equal(w.row(3), arma::rowvec{0.5, 0.5, 0.0}, "absdiff", 0.0));

    const arma::mat big = 1e3 * arma::randn(6, 9);
    CHECK(arma::approx_equal(arma::sum(softmax_rows(big), 1), arma::colvec(6, arma::fill::ones),
                             "absdiff", 1e-12));
}

TEST_CASE("a row with every position blocked is all zeros, never NaN", "[softmax]") {
    const arma::mat scores = {{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}};
    const Mask mask = {{1, 1, 1}, {0, 1, 1}};
    const arma::mat w = softmax_rows(scores, mask);
    INFO("weights\n" << w);
    CHECK(arma::approx_equal(w, arma::mat{{0.0, 0.0, 0.0}, {1.0, 0.0, 0.0}}, "absdiff", 0.0));
    // Scores that are already −∞ (attention writes them) behave the same.
    const arma::mat minus_inf(2, 3, arma::fill::value(-arma::datum::inf));
    CHECK(arma::approx_equal(softmax_rows(minus_inf), arma::mat(2, 3, arma::fill::zeros), "absdiff",
                             0.0));
}

TEST_CASE("softmax rejects a mask of the wrong shape", "[softmax]") {
    CHECK_THROWS_AS(softmax_rows(arma::mat(2, 3, arma::fill::zeros), Mask(3, 2, arma::fill::zeros)),
                    InputError);
}

TEST_CASE("softmax backward matches central differences, with masks",
          "[softmax][backward][gradcheck]") {
    // Rows: a partly blocked row, an unmasked row, and an all-blocked row (zero gradient).
    const Mask mask = {{0, 1, 0, 0, 1}, {0, 0, 0, 0, 0}, {1, 1, 1, 1, 1}, {1, 0, 0, 0, 0}};
    arma::mat scores = arma::randn(4, 5);
    const arma::mat g = arma::randn(4, 5);
    const arma::mat w = softmax_rows(scores, mask);
    const arma::mat dscores = softmax_rows_backward(w, g);
    const arma::mat numeric =
        test::numeric_grad([&] { return arma::accu(softmax_rows(scores, mask) % g); }, scores);
    const double error = test::relative_error(dscores, numeric);
    INFO("dscores\n" << dscores << "numeric\n" << numeric << "relative error " << error);
    CHECK(error <= test::kGradTolerance);
    CHECK(arma::all(arma::vectorise(dscores.elem(arma::find(mask))) == 0.0));
    CHECK(arma::accu(arma::abs(dscores.row(2))) == 0.0);
    // Shifting a row of scores does not change softmax, so each row's gradient sums to 0.
    CHECK(arma::approx_equal(arma::sum(dscores, 1), arma::colvec(4, arma::fill::zeros), "absdiff",
                             1e-14));
}
