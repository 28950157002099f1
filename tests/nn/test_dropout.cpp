// Dropout: the identity when off (bit for bit), the share dropped and the 1/(1 − p) scale
// when on, the backward through the same mask, and a whole GPT's gradients by central
// differences with dropout on (its masks re-drawn from the same seed at every evaluation).
#include "nn/dropout.hpp"

#include "core/error.hpp"
#include "core/random.hpp"
#include "model/gpt.hpp"
#include "nn/param_gradcheck.hpp"
#include "support/model_helpers.hpp"
#include "train/lm.hpp"

#include "support/catch.hpp"

using namespace tfm;

TEST_CASE("dropout is off until a rate and a generator are set, and then the identity",
          "[dropout]") {
    const arma::mat x = arma::randn(5, 7);
    Dropout d;
    CHECK(!d.on());
    CHECK(arma::approx_equal(d.forward(x), x, "absdiff", 0.0));
    CHECK(arma::approx_equal(d.backward(x), x, "absdiff", 0.0));
    std::mt19937_64 rng(1);
    d.set(0.0, &rng);
    CHECK(arma::approx_equal(d.forward(x), x, "absdiff", 0.0));
    d.set(0.5, nullptr);
    CHECK(arma::approx_equal(d.forward(x), x, "absdiff", 0.0));
    CHECK_THROWS_AS(d.set(1.0, &rng), InputError);
    CHECK_THROWS_AS(d.set(-0.1, &rng), InputError);
}

TEST_CASE("dropout drops a share p of the entries and scales the rest by 1/(1 − p)", "[dropout]") {
    const arma::mat x(200, 200, arma::fill::ones);
    std::mt19937_64 rng(7);
    Dropout d;
    d.set(0.25, &rng);
    const arma::mat y = d.forward(x);
    const double dropped = static_cast<double>(arma::accu(y == 0.0)) / y.n_elem;
    // 40,000 draws: the standard deviation of the share is √(0.25 · 0.75 / 40000) ≈ 0.0022.
    CHECK(std::abs(dropped - 0.25) < 0.01);
    CHECK(arma::accu(y != 0.0 && arma::abs(y - 1.0 / 0.75) > 1e-15) == 0);
    // The backward reads the same mask: dL/dx = dL/dy ⊙ m / (1 − p).
    const arma::mat dy = arma::randn(200, 200);
    CHECK(arma::approx_equal(d.backward(dy), dy % y, "absdiff", 0.0));
    // A fresh mask at each forward; the same seed, the same masks.
    CHECK(arma::accu(d.forward(x) != y) > 0);
    std::mt19937_64 again(7);
    d.set(0.25, &again);
    CHECK(arma::approx_equal(d.forward(x), y, "absdiff", 0.0));
}

TEST_CASE("a GPT's gradients with dropout on match central differences", "[dropout][gradcheck]") {
    Gpt model(test::tiny_gpt_config());
    draw_params(model.params(), 21);
    const std::vector<TokenIds> windows = {{2, 5, 6, 7, 8, 3}, {2, 8, 4, 5, 6, 7}};
    std::mt19937_64 rng;
    // Every evaluation re-draws the masks from seed 5: the loss is one smooth function.
    auto loss = [&] {
        rng.seed(5);
        model.set_dropout(0.3, &rng);
        return lm_loss(model, windows).total;
    };
    const double with = loss();
    model.set_dropout(0, nullptr);
    CHECK(lm_loss(model, windows).total != with);  // the masks changed the loss
    model.zero_grad();
    rng.seed(5);
    model.set_dropout(0.3, &rng);
    const CrossEntropy ce = lm_loss(model, windows);
    CHECK(ce.total == with);
    model.backward(ce.dlogits);
    test::check_param_grads(model.params(), loss);
}
