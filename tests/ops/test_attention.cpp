#include "core/error.hpp"
#include "ops/attention.hpp"
#include "ops/mask.hpp"
#include "support/gradcheck.hpp"

#include "support/catch.hpp"

#include <cmath>

using namespace tfm;

namespace {

// Q [2 × 4], K [3 × 4], V [3 × 2]; d_k = 4, so the scale is 1/√4 = 1/2.
//   Q row 0 = [0, 2 ln 3, 0, 0]      → scores [0, 2 ln 3, 0]    → scaled [0, ln 3, 0]
//   Q row 1 = [2 ln 2, 0, 2 ln 2, 0] → scores [2 ln 2, 0, 2 ln 2] → scaled [ln 2, 0, ln 2]
const double ln2 = std::log(2.0), ln3 = std::log(3.0);
const arma::mat q = {{0.0, 2 * ln3, 0.0, 0.0}, {2 * ln2, 0.0, 2 * ln2, 0.0}};
const arma::mat k = {{1.0, 0.0, 0.0, 0.0}, {0.0, 1.0, 0.0, 0.0}, {0.0, 0.0, 1.0, 0.0}};
const arma::mat v = {{1.0, 0.0}, {0.0, 1.0}, {1.0, 1.0}};

}  // namespace

TEST_CASE("attention on tiny Q, K, V, worked by hand", "[attention]") {
    // weights row 0 = [1, 3, 1]/5 = [0.2, 0.6, 0.2];  row 1 = [2, 1, 2]/5 = [0.4, 0.2, 0.4]
    // output row 0 = 0.2·[1,0] + 0.6·[0,1] + 0.2·[1,1] = [0.4, 0.8]
    // output row 1 = 0.4·[1,0] + 0.2·[0,1] + 0.4·[1,1] = [0.8, 0.6]
    const AttentionResult r = scaled_dot_product_attention(q, k, v);
    INFO("scores\n" << r.scores << "weights\n" << r.weights << "output\n" << r.output);
    CHECK(arma::approx_equal(r.scores, arma::mat{{0, 2 * ln3, 0}, {2 * ln2, 0, 2 * ln2}}, "absdiff",
                             1e-15));
    CHECK(arma::approx_equal(r.scaled, arma::mat{{0, ln3, 0}, {ln2, 0, ln2}}, "absdiff", 1e-15));
    CHECK(arma::approx_equal(r.weights, arma::mat{{0.2, 0.6, 0.2}, {0.4, 0.2, 0.4}}, "absdiff",
                             1e-15));
    CHECK(arma::approx_equal(r.output, arma::mat{{0.4, 0.8}, {0.8, 0.6}}, "absdiff", 1e-15));
}

TEST_CASE("attention with a causal mask, worked by hand", "[attention][mask]") {
    // Query 0 sees key 0 only: weights [1, 0, 0], output [1, 0].
    // Query 1 sees keys 0, 1: scaled [ln 2, 0] → [2/3, 1/3, 0], output [2/3, 1/3].
    const Mask mask = make_mask("causal", 2, 3);
    const AttentionResult r = scaled_dot_product_attention(q, k, v, mask);
    INFO("scaled\n" << r.scaled << "weights\n" << r.weights << "output\n" << r.output);
    CHECK(r.scaled(0, 1) == -arma::datum::inf);
    CHECK(r.scaled(0, 2) == -arma::datum::inf);
    CHECK(r.scaled(1, 2) == -arma::datum::inf);
    CHECK(r.scaled(1, 0) == Approx(ln2).epsilon(1e-15));
    CHECK(r.scores(0, 1) == Approx(2 * ln3).epsilon(1e-15));  // scores stay unmasked
    CHECK(arma::approx_equal(r.weights, arma::mat{{1, 0, 0}, {2.0 / 3, 1.0 / 3, 0}}, "absdiff",
                             1e-15));
    CHECK(arma::approx_equal(r.output, arma::mat{{1, 0}, {2.0 / 3, 1.0 / 3}}, "absdiff", 1e-15));
}

TEST_CASE("attention weights rows sum to one; padded keys get zero weight", "[attention][mask]") {
    const arma::mat qr = arma::randn(4, 3), kr = arma::randn(6, 3), vr = arma::randn(6, 5);
    const Mask mask = padding_mask(4, {false, true, false, false, true, false});
    const AttentionResult r = scaled_dot_product_attention(qr, kr, vr, mask);
    CHECK(arma::size(r.output) == arma::size(4, 5));
    CHECK(arma::approx_equal(arma::sum(r.weights, 1), arma::colvec(4, arma::fill::ones), "absdiff",
                             1e-14));
    CHECK(arma::accu(arma::abs(r.weights.col(1))) == 0.0);
    CHECK(arma::accu(arma::abs(r.weights.col(4))) == 0.0);
    // Changing a padded key's value changes nothing.
    arma::mat v2 = vr;
    v2.row(4) += 100.0;
    CHECK(arma::approx_equal(scaled_dot_product_attention(qr, kr, v2, mask).output, r.output,
                             "absdiff", 0.0));
}

TEST_CASE("causal attention: output row i ignores keys and values after i", "[attention][mask]") {
    const arma::uword n = 5;
    const arma::mat qr = arma::randn(n, 3), kr = arma::randn(n, 3), vr = arma::randn(n, 4);
    const Mask mask = causal_mask(n);
    const arma::mat before = scaled_dot_product_attention(qr, kr, vr, mask).output;
    for (arma::uword i = 0; i + 1 < n; ++i) {
        arma::mat k2 = kr, v2 = vr;
        k2.rows(i + 1, n - 1) = arma::randn(n - 1 - i, 3);
        v2.rows(i + 1, n - 1) = arma::randn(n - 1 - i, 4);
        const arma::mat after = scaled_dot_product_attention(qr, k2, v2, mask).output;
        INFO("changed rows after " << i);
        CHECK(arma::approx_equal(after.rows(0, i), before.rows(0, i), "absdiff", 0.0));
        CHECK_FALSE(arma::approx_equal(after.row(i + 1), before.row(i + 1), "absdiff", 1e-12));
    }
}

TEST_CASE("attention rejects shapes that do not fit", "[attention]") {
    const arma::mat q3 = arma::randn(2, 3), k3 = arma::randn(4, 3), v3 = arma::randn(4, 2);
    CHECK_THROWS_AS(scaled_dot_product_attention(q3, arma::randn(4, 2), v3), InputError);
    CHECK_THROWS_AS(scaled_dot_product_attention(q3, k3, arma::randn(3, 2)), InputError);
    CHECK_THROWS_AS(scaled_dot_product_attention(q3, k3, v3, causal_mask(4)), InputError);
    CHECK_THROWS_AS(scaled_dot_product_attention(q3, k3, v3, Mask(4, 2, arma::fill::zeros)),
                    InputError);
}

TEST_CASE("attention backward matches central differences for every mask",
          "[attention][backward][gradcheck]") {
    // n_q = 3 queries, n_k = 5 keys, d_k = 4, d_v = 2: no two sizes equal.
    const arma::uword n_q = 3, n_k = 5;
    const Mask all_blocked_row = {{0, 1, 0, 0, 1}, {1, 1, 1, 1, 1}, {0, 0, 1, 0, 0}};
    const std::vector<std::pair<std::string, Mask>> masks = {
        {"none", Mask()},
        {"causal", make_mask("causal", n_q, n_k)},
        {"padding", padding_mask(n_q, {false, false, true, false, true})},
        {"a fully blocked row", all_blocked_row}};
    for (const auto& named : masks) {
        // (Named, not a structured binding: C++17 lets no lambda capture one; clang says so.)
        const std::string& name = named.first;
        const Mask& mask = named.second;
        arma::mat qr = arma::randn(n_q, 4), kr = arma::randn(n_k, 4), vr = arma::randn(n_k, 2);
        const arma::mat g = arma::randn(n_q, 2);
        const auto loss = [&] {
            return arma::accu(scaled_dot_product_attention(qr, kr, vr, mask).output % g);
        };
        const AttentionResult r = scaled_dot_product_attention(qr, kr, vr, mask);
        const AttentionGrads grads =
            scaled_dot_product_attention_backward(qr, kr, vr, r.weights, g);
        const std::vector<std::pair<arma::mat*, const arma::mat*>> checks = {
            {&qr, &grads.dq}, {&kr, &grads.dk}, {&vr, &grads.dv}};
        for (const auto& [input, analytic] : checks) {
            const arma::mat numeric = test::numeric_grad(loss, *input);
            const double error = test::relative_error(*analytic, numeric);
            INFO("mask " << name << ": relative error " << error << "\nanalytic\n"
                         << *analytic << "numeric\n"
                         << numeric);
            CHECK(error <= test::kGradTolerance);
        }
    }
}
