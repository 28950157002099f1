#include "analysis/line_fit.hpp"

#include "core/error.hpp"

#include "support/catch.hpp"

TEST_CASE("a line fit recovers an exact line with r2 = 1", "[fit]") {
    // y = 3 − 0.5 x at x = 0, 1, 2, 3.
    const arma::vec x{0.0, 1.0, 2.0, 3.0};
    const arma::vec y{3.0, 2.5, 2.0, 1.5};
    const tfm::LineFit fit = tfm::fit_line(x, y);
    CHECK(fit.slope == Approx(-0.5).epsilon(1e-12));
    CHECK(fit.intercept == Approx(3.0).epsilon(1e-12));
    CHECK(fit.r2 == Approx(1.0).epsilon(1e-12));
}

TEST_CASE("a line fit through scattered points is the least-squares line", "[fit]") {
    // x = 0, 1, 2; y = 0, 2, 1: x̄ = 1, ȳ = 1, Σ(x−x̄)(y−ȳ) = (−1)(−1) + 0 + (1)(0) = 1,
    // Σ(x−x̄)² = 2 → slope 0.5, intercept 0.5; residuals −0.5, 1, −0.5 → r² = 1 − 1.5/2 = 0.25.
    const tfm::LineFit fit = tfm::fit_line(arma::vec{0.0, 1.0, 2.0}, arma::vec{0.0, 2.0, 1.0});
    CHECK(fit.slope == Approx(0.5).epsilon(1e-12));
    CHECK(fit.intercept == Approx(0.5).epsilon(1e-12));
    CHECK(fit.r2 == Approx(0.25).epsilon(1e-12));
}

TEST_CASE("a line fit rejects too few points and a constant x", "[fit]") {
    CHECK_THROWS_AS(tfm::fit_line(arma::vec{1.0}, arma::vec{2.0}), tfm::InputError);
    CHECK_THROWS_AS(tfm::fit_line(arma::vec{1.0, 1.0}, arma::vec{2.0, 3.0}), tfm::InputError);
    CHECK_THROWS_AS(tfm::fit_line(arma::vec{1.0, 2.0}, arma::vec{2.0}), tfm::InputError);
}
