#include "analysis/gradient_distance.hpp"

#include "analysis/rnn_study.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "rnn/spectral.hpp"

#include "support/catch.hpp"
#include <cmath>

namespace {

// A linear RNN with w_hh rescaled to rho, on random inputs; returns ‖∂L/∂x_t‖.
arma::vec linear_rnn_norms(std::uint64_t seed, double rho, arma::uword seq_len, arma::uword d) {
    tfm::set_seed(seed);
    tfm::VanillaRnn rnn(d, d, tfm::RnnActivation::linear);
    rnn.w_hh = tfm::rescale_to_spectral_radius(rnn.w_hh, rho);
    const arma::mat x = tfm::normal(seq_len, d);
    const arma::rowvec g = tfm::normal(1, d);
    return tfm::rnn_input_gradient_norms(rnn, x, g);
}

// Slope of ln ‖∂L/∂x_t‖ against distance, over distances ≥ skip (past the transient of
// the smaller eigenvalues).
double decay_slope(const arma::vec& norms, double skip) { return tfm::decay_fit(norms, skip).slope; }

}  // namespace

TEST_CASE("the upstream gradient of a last-token loss is zero except the last row", "[gradient-distance]") {
    const arma::mat dy = tfm::last_token_upstream(3, arma::rowvec{1.0, 2.0});
    const arma::mat expected{{0.0, 0.0}, {0.0, 0.0}, {1.0, 2.0}};
    CHECK(arma::approx_equal(dy, expected, "absdiff", 0.0));
    CHECK(arma::approx_equal(tfm::distances(3), arma::vec{2.0, 1.0, 0.0}, "absdiff", 0.0));
    CHECK(arma::approx_equal(tfm::row_norms(arma::mat{{3.0, 4.0}, {0.0, 1.0}}), arma::vec{5.0, 1.0}, "absdiff",
                             1e-15));
}

TEST_CASE("a linear RNN's input gradient is g · w_hh^d · w_xh at distance d", "[gradient-distance]") {
    tfm::VanillaRnn rnn(3, 4, tfm::RnnActivation::linear);
    const arma::mat x = tfm::normal(6, 3);
    const arma::rowvec g = tfm::normal(1, 4);
    rnn.zero_grad();
    rnn.forward(x);
    const arma::mat dx = rnn.backward(tfm::last_token_upstream(6, g));
    for (arma::uword t = 0; t < 6; ++t) {
        const arma::rowvec expected = g * arma::powmat(rnn.w_hh, static_cast<int>(5 - t)) * rnn.w_xh;
        INFO("t = " << t << "\ndx_t = " << dx.row(t) << "expected " << expected);
        CHECK(arma::approx_equal(arma::rowvec(dx.row(t)), expected, "absdiff", 1e-12));
    }
}

TEST_CASE("a linear RNN with rho < 1 forgets geometrically at the rate ln rho", "[gradient-distance]") {
    // T = 200, fitting distances ≥ 50: the nearer distances still carry the smaller
    // eigenvalues' transient (the lesson prints it). Tolerance: 5% of |ln rho|.
    for (double rho : {0.5, 0.9}) {
        for (std::uint64_t seed : {42u, 1u, 2u, 3u, 7u}) {
            const arma::vec norms = linear_rnn_norms(seed, rho, 200, 8);
            const double slope = decay_slope(norms, 50.0);
            INFO("rho = " << rho << ", seed " << seed << ": slope " << slope << " vs ln rho " << std::log(rho));
            CHECK(std::abs(slope - std::log(rho)) <= 0.05 * std::abs(std::log(rho)));
            CHECK(norms(0) < norms(norms.n_elem - 1));  // farthest token gets less than the last
        }
    }
}

TEST_CASE("a linear RNN with rho > 1 amplifies gradients from far away", "[gradient-distance]") {
    for (std::uint64_t seed : {42u, 1u, 2u, 3u, 7u}) {
        const arma::vec norms = linear_rnn_norms(seed, 1.2, 200, 8);
        const double slope = decay_slope(norms, 50.0);
        INFO("seed " << seed << ": slope " << slope << " vs ln 1.2 = " << std::log(1.2));
        CHECK(slope > 0.0);
        CHECK(std::abs(slope - std::log(1.2)) <= 0.05 * std::log(1.2));
        CHECK(norms(0) > norms(norms.n_elem - 1));
    }
}

TEST_CASE("decay_fit skips positions that are too near, zero or not finite", "[gradient-distance]") {
    // norms at distances 4, 3, 2, 1, 0: 1e-4, 1e-3, 1e-2, inf, 0 — only distances 4, 3, 2 count:
    // ln norm = ln(1e-2) − ln(10)·(d − 2), slope −ln 10.
    const arma::vec norms{1e-4, 1e-3, 1e-2, arma::datum::inf, 0.0};
    const tfm::LineFit fit = tfm::decay_fit(norms, 0.0);
    CHECK(fit.slope == Approx(-std::log(10.0)).epsilon(1e-12));
    CHECK_THROWS_AS(tfm::decay_fit(norms, 3.5), tfm::InputError);
}

TEST_CASE("run_rnn_at_rho rescales, measures rho and the tanh derivative statistics", "[gradient-distance]") {
    tfm::VanillaRnn rnn(4, 4, tfm::RnnActivation::tanh);
    const arma::mat base = rnn.w_hh;
    const arma::mat x = tfm::normal(12, 4);
    const arma::rowvec g = tfm::normal(1, 4);
    const tfm::RnnRun run = tfm::run_rnn_at_rho(rnn, base, 0.7, x, g);
    CHECK(std::abs(run.measured_rho - 0.7) < 1e-10);
    CHECK(run.norms.n_elem == 12);
    CHECK(run.jacobian_norms.n_elem == 12);
    CHECK(run.jacobian_norms(0) == 1.0);
    // 0 < geometric mean ≤ arithmetic mean ≤ 1 for values of 1 − h² in (0, 1].
    CHECK(run.geo_mean_derivative > 0.0);
    CHECK(run.geo_mean_derivative <= run.mean_derivative + 1e-15);
    CHECK(run.mean_derivative <= 1.0);
    CHECK(run.saturated_fraction >= 0.0);
    CHECK(run.saturated_fraction <= 1.0);
    rnn.activation = tfm::RnnActivation::linear;
    const tfm::RnnRun linear = tfm::run_rnn_at_rho(rnn, base, 0.7, x, g);
    CHECK(linear.mean_derivative == 1.0);
    CHECK(linear.saturated_fraction == 0.0);
    // Linear: every Jacobian is W_hh, so the product norm at distance k is ‖W_hh^k‖₂.
    CHECK(linear.jacobian_norms(3) == Approx(arma::norm(arma::powmat(rnn.w_hh, 3), 2)).epsilon(1e-12));
}

TEST_CASE("the usable reach stops where a norm overflows or underflows", "[gradient-distance]") {
    // Distances 5 … 0: 0 (underflowed), 1e-200, 1e-150, 1e-100, 1e-50, 1: reach 4.
    const arma::vec norms{0.0, 1e-200, 1e-150, 1e-100, 1e-50, 1.0};
    CHECK(tfm::usable_reach(norms) == 4);
    CHECK(tfm::usable_reach(arma::vec{1.0, arma::datum::inf, 1.0}) == 0);
    // Far fit over distances 1 … 4 (from 4/4): ln norm falls by 50·ln 10 per step there.
    const std::optional<tfm::LineFit> fit = tfm::far_decay_fit(norms);
    REQUIRE(fit.has_value());
    CHECK(fit->slope == Approx(-50.0 * std::log(10.0)).epsilon(1e-12));
    CHECK_FALSE(tfm::far_decay_fit(arma::vec{arma::datum::inf, 1.0}).has_value());
}
