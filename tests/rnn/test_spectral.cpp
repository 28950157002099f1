#include "rnn/spectral.hpp"

#include "core/error.hpp"
#include "core/random.hpp"
#include "rnn/vanilla_rnn.hpp"

#include <cmath>
#include "support/catch.hpp"

TEST_CASE("the eigenvalues of a rotation-scaling matrix are a complex pair", "[spectral]") {
    // [[0, −2], [2, 0]] rotates by 90° and scales by 2: λ = ±2i, ρ = 2.
    const arma::mat a{{0.0, -2.0}, {2.0, 0.0}};
    const arma::cx_vec lambda = tfm::eigenvalues(a);
    INFO("eigenvalues\n" << lambda);
    REQUIRE(lambda.n_elem == 2);
    CHECK(std::abs(lambda(0).real()) < 1e-12);
    CHECK(std::abs(std::abs(lambda(0).imag()) - 2.0) < 1e-12);
    CHECK(std::abs(lambda(0) - std::conj(lambda(1))) < 1e-12);
    CHECK(tfm::spectral_radius(a) == Approx(2.0).epsilon(1e-12));
}

TEST_CASE("eigenvalues come sorted by decreasing modulus", "[spectral]") {
    // Triangular: the eigenvalues are the diagonal.
    const arma::mat a{{0.5, 1.0, 2.0}, {0.0, -3.0, 4.0}, {0.0, 0.0, 1.5}};
    const arma::cx_vec lambda = tfm::eigenvalues(a);
    INFO("eigenvalues\n" << lambda);
    CHECK(std::abs(lambda(0) - std::complex<double>(-3.0, 0.0)) < 1e-12);
    CHECK(std::abs(lambda(1) - std::complex<double>(1.5, 0.0)) < 1e-12);
    CHECK(std::abs(lambda(2) - std::complex<double>(0.5, 0.0)) < 1e-12);
}

TEST_CASE("rescaling gives max |eigenvalue| = rho to 1e-10", "[spectral]") {
    for (arma::uword n : {2u, 8u, 32u}) {
        for (double rho : {0.5, 0.9, 1.0, 1.2, 3.0}) {
            const arma::mat w = tfm::normal(n, n);
            const arma::mat scaled = tfm::rescale_to_spectral_radius(w, rho);
            const double got = arma::max(arma::abs(tfm::eigenvalues(scaled)));
            INFO("n = " << n << ", rho = " << rho << ", got " << got);
            CHECK(std::abs(got - rho) <= 1e-10);
        }
    }
}

TEST_CASE("rescaling keeps the direction of every eigenvalue", "[spectral]") {
    const arma::mat w = tfm::normal(6, 6);
    const double before = tfm::spectral_radius(w);
    const arma::cx_vec lambda = tfm::eigenvalues(w);
    const arma::cx_vec scaled = tfm::eigenvalues(tfm::rescale_to_spectral_radius(w, 0.5));
    INFO("before\n" << lambda << "after\n" << scaled);
    CHECK(arma::approx_equal(arma::abs(scaled), arma::abs(lambda) * (0.5 / before), "absdiff",
                             1e-10));
}

TEST_CASE("rescaling rejects rho <= 0 and a matrix with no scale", "[spectral]") {
    const arma::mat w = tfm::normal(3, 3);
    CHECK_THROWS_AS(tfm::rescale_to_spectral_radius(w, 0.0), tfm::InputError);
    CHECK_THROWS_AS(tfm::rescale_to_spectral_radius(w, -1.0), tfm::InputError);
    CHECK_THROWS_AS(tfm::rescale_to_spectral_radius(w, NAN), tfm::InputError);
    // Strictly upper triangular: every eigenvalue is 0.
    const arma::mat nilpotent{{0.0, 1.0}, {0.0, 0.0}};
    CHECK_THROWS_AS(tfm::rescale_to_spectral_radius(nilpotent, 1.0), tfm::InputError);
    CHECK_THROWS_AS(tfm::eigenvalues(arma::mat(2, 3, arma::fill::zeros)), tfm::InputError);
}

TEST_CASE("the product-of-Jacobians norm of a diagonal map is the power of its largest entry",
          "[spectral]") {
    // J = diag(0.5, 0.25): ‖J^k‖₂ = 0.5^k.
    const std::vector<arma::mat> jacobians(5, arma::mat{{0.5, 0.0}, {0.0, 0.25}});
    const arma::vec norms = tfm::jacobian_product_norms(jacobians);
    const arma::vec expected{1.0, 0.5, 0.25, 0.125, 0.0625, 0.03125};
    INFO("norms\n" << norms);
    CHECK(arma::approx_equal(norms, expected, "absdiff", 1e-14));
}

TEST_CASE("the product-of-Jacobians norm multiplies from the last step backwards", "[spectral]") {
    tfm::VanillaRnn rnn(2, 3, tfm::RnnActivation::tanh);
    rnn.forward(tfm::normal(4, 2));
    std::vector<arma::mat> jacobians;
    for (arma::uword t = 0; t < 4; ++t) jacobians.push_back(rnn.step_jacobian(t));
    const arma::vec norms = tfm::jacobian_product_norms(jacobians);
    // Distance 2 from the last step: ∂h_3/∂h_1 = J_3 · J_2.
    CHECK(norms(2) == Approx(arma::norm(jacobians[3] * jacobians[2], 2)).epsilon(1e-12));
    CHECK(norms(4) ==
          Approx(arma::norm(jacobians[3] * jacobians[2] * jacobians[1] * jacobians[0], 2))
              .epsilon(1e-12));
}
