// Adam, its warm-up schedule, and gradient clipping.
#include "core/error.hpp"
#include "train/adam.hpp"
#include "train/schedule.hpp"

#include "support/catch.hpp"

#include <cmath>

using namespace tfm;

namespace {

arma::mat row(std::initializer_list<double> values) { return arma::rowvec(values); }

struct OneParam {
    arma::mat value, grad;
    ParamList list() { return {{"theta", &value, &grad, false}}; }
};

}  // namespace

TEST_CASE("two Adam steps match the update computed by hand") {
    OneParam p{row({1.0}), row({2.0})};
    Adam adam(p.list());
    // Step 1, g = 2: m = 0.1·2 = 0.2, v = 0.02·4 = 0.08; m̂ = 0.2/0.1 = 2, v̂ = 0.08/0.02 = 4;
    // θ = 1 − 0.1 · 2/(√4 + 1e-9).
    adam.step(0.1);
    CHECK(p.value(0) == Approx(1.0 - 0.1 * 2.0 / (2.0 + 1e-9)).epsilon(1e-14));
    // Step 2, g = −1: m = 0.9·0.2 − 0.1 = 0.08, v = 0.98·0.08 + 0.02 = 0.0984;
    // m̂ = 0.08/(1 − 0.81) = 0.08/0.19, v̂ = 0.0984/(1 − 0.9604) = 0.0984/0.0396.
    const double before = p.value(0);
    p.grad(0) = -1.0;
    adam.step(0.1);
    CHECK(adam.steps == 2);
    CHECK(
        p.value(0) ==
        Approx(before - 0.1 * (0.08 / 0.19) / (std::sqrt(0.0984 / 0.0396) + 1e-9)).epsilon(1e-14));
}

TEST_CASE("Adam's first step moves each element by the learning rate against its gradient's sign") {
    OneParam p{row({0.0, 0.0, 0.0}), row({3.0, -0.001, 0.0})};
    Adam adam(p.list());
    adam.step(0.01);
    INFO(p.value);
    CHECK(p.value(0) == Approx(-0.01).epsilon(1e-8));
    CHECK(p.value(1) == Approx(0.01).epsilon(1e-5));
    CHECK(p.value(2) == 0.0);  // a zero gradient does not move its parameter
}

TEST_CASE("Adam uses the 2017 paper's betas and epsilon by default") {
    const AdamOptions o;
    CHECK(o.beta1 == 0.9);
    CHECK(o.beta2 == 0.98);
    CHECK(o.eps == 1e-9);
}

TEST_CASE("clipping scales the global norm down to max_norm and leaves small gradients alone") {
    arma::mat a = row({3.0}), ga = row({3.0}), b = row({0.0, 0.0}), gb = row({0.0, 4.0});
    const ParamList params = {{"a", &a, &ga, false}, {"b", &b, &gb, true}};
    CHECK(clip_grad_norm(params, 10.0) == Approx(5.0));
    CHECK(ga(0) == 3.0);
    CHECK(clip_grad_norm(params, 1.0) == Approx(5.0));
    CHECK(ga(0) == Approx(0.6));
    CHECK(gb(1) == Approx(0.8));
    CHECK(clip_grad_norm(params, 0.0) == Approx(1.0));  // 0: report only
}

TEST_CASE(
    "the warm-up schedule rises linearly, peaks at warmup, then decays as one over root step") {
    // The paper's base model: d_model 512, warmup 4000.
    const double peak = 1.0 / std::sqrt(512.0 * 4000.0);
    CHECK(noam_rate(4000, 512, 4000) == Approx(peak).epsilon(1e-14));
    CHECK(noam_rate(1, 512, 4000) == Approx(peak / 4000.0).epsilon(1e-12));
    CHECK(noam_rate(2000, 512, 4000) == Approx(peak / 2.0).epsilon(1e-12));
    CHECK(noam_rate(16000, 512, 4000) == Approx(peak / 2.0).epsilon(1e-12));
    CHECK(noam_rate(4000, 512, 4000, 0.5) == Approx(peak / 2.0).epsilon(1e-12));
    CHECK(noam_rate(3999, 512, 4000) < noam_rate(4000, 512, 4000));
    CHECK(noam_rate(4001, 512, 4000) < noam_rate(4000, 512, 4000));
    CHECK_THROWS_AS(noam_rate(0, 512, 4000), InputError);
}

TEST_CASE("the linear warm-up and decay of lessons 13 and 14 rises to its peak, then falls") {
    CHECK(tfm::linear_warmup_decay_rate(1, 1500, 100, 3e-3) == 3e-3 / 100);
    CHECK(tfm::linear_warmup_decay_rate(100, 1500, 100, 3e-3) == 3e-3);
    CHECK(tfm::linear_warmup_decay_rate(101, 1500, 100, 3e-3) == 3e-3 * 1400.0 / 1401.0);
    CHECK(tfm::linear_warmup_decay_rate(1500, 1500, 100, 3e-3) == 3e-3 * 1.0 / 1401.0);
}
