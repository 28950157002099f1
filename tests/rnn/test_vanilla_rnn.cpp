#include "rnn/vanilla_rnn.hpp"

#include "core/error.hpp"
#include "core/random.hpp"
#include "support/gradcheck.hpp"

#include <cmath>
#include "support/catch.hpp"

using tfm::RnnActivation;
using tfm::VanillaRnn;
using tfm::test::kGradTolerance;
using tfm::test::numeric_grad;
using tfm::test::relative_error;

TEST_CASE("a one-unit linear RNN accumulates its inputs as a geometric sum", "[rnn]") {
    // w_hh = 0.5, w_xh = 2, bias = 1, x = (1, 0, 3):
    //   h_0 = 0.5·0 + 2·1 + 1 = 3
    //   h_1 = 0.5·3 + 2·0 + 1 = 2.5
    //   h_2 = 0.5·2.5 + 2·3 + 1 = 8.25
    VanillaRnn rnn(1, 1, RnnActivation::linear);
    rnn.w_hh = arma::mat(1, 1, arma::fill::value(0.5));
    rnn.w_xh = arma::mat(1, 1, arma::fill::value(2.0));
    rnn.bias = arma::mat(1, 1, arma::fill::value(1.0));
    const arma::mat h = rnn.forward(arma::colvec{1.0, 0.0, 3.0});
    const arma::mat expected = arma::colvec{3.0, 2.5, 8.25};
    INFO("h =\n" << h);
    CHECK(arma::approx_equal(h, expected, "absdiff", 1e-12));

    // L = h_2: dL/dx_2 = w_xh = 2, dL/dx_1 = w_hh·w_xh = 1, dL/dx_0 = w_hh²·w_xh = 0.5.
    const arma::mat dx = rnn.backward(arma::colvec{0.0, 0.0, 1.0});
    const arma::mat expected_dx = arma::colvec{0.5, 1.0, 2.0};
    INFO("dx =\n" << dx);
    CHECK(arma::approx_equal(dx, expected_dx, "absdiff", 1e-12));
}

TEST_CASE("a tanh RNN step squashes the linear pre-activation", "[rnn]") {
    VanillaRnn rnn(2, 3, RnnActivation::tanh);
    const arma::mat x = tfm::normal(4, 2);
    const arma::mat h = rnn.forward(x);
    arma::rowvec h_prev(3, arma::fill::zeros);
    for (arma::uword t = 0; t < 4; ++t) {
        const arma::rowvec expected =
            arma::tanh(h_prev * rnn.w_hh.t() + x.row(t) * rnn.w_xh.t() + rnn.bias);
        INFO("t = " << t << "\nh_t = " << h.row(t) << "expected " << expected);
        CHECK(arma::approx_equal(arma::rowvec(h.row(t)), expected, "absdiff", 1e-14));
        CHECK(arma::approx_equal(
            tfm::rnn_step(rnn.w_hh, rnn.w_xh, rnn.bias, RnnActivation::tanh, h_prev, x.row(t)),
            expected, "absdiff", 1e-14));
        h_prev = expected;
    }
}

TEST_CASE("BPTT matches central finite differences for dL/dx, dL/dh0 and every parameter",
          "[rnn][gradcheck]") {
    for (RnnActivation act : {RnnActivation::tanh, RnnActivation::linear}) {
        DYNAMIC_SECTION("activation " << tfm::to_string(act)) {
            const arma::uword T = 6, d_in = 3, d_hidden = 4;
            VanillaRnn rnn(d_in, d_hidden, act);
            arma::mat x = tfm::normal(T, d_in);
            arma::mat h0 = tfm::normal(1, d_hidden, 0.5);
            const arma::mat G = tfm::normal(T, d_hidden);  // L = Σ H ⊙ G, so dL/dH = G
            auto loss = [&] { return arma::accu(rnn.forward(x, h0) % G); };

            rnn.zero_grad();
            rnn.forward(x, h0);
            const arma::mat dx = rnn.backward(G);
            const arma::mat dh0 = rnn.dh0_;

            const double err_x = relative_error(dx, numeric_grad(loss, x));
            INFO("dL/dx relative error " << err_x);
            CHECK(err_x <= kGradTolerance);
            const double err_h0 = relative_error(dh0, numeric_grad(loss, h0));
            INFO("dL/dh0 relative error " << err_h0);
            CHECK(err_h0 <= kGradTolerance);

            tfm::ParamList params;
            rnn.params("", params);
            REQUIRE(params.size() == 3);
            for (const tfm::Param& p : params) {
                const double err = relative_error(*p.grad, numeric_grad(loss, *p.value));
                INFO(p.name << " relative error " << err);
                CHECK(err <= kGradTolerance);
            }
        }
    }
}

TEST_CASE("backward adds into the parameter gradients and zero_grad clears them", "[rnn]") {
    VanillaRnn rnn(2, 3);
    const arma::mat x = tfm::normal(5, 2);
    const arma::mat G = tfm::normal(5, 3);
    rnn.zero_grad();
    rnn.forward(x);
    rnn.backward(G);
    const arma::mat once = rnn.w_hh_grad;
    rnn.forward(x);
    rnn.backward(G);
    INFO("after one backward\n" << once << "after two\n" << rnn.w_hh_grad);
    CHECK(arma::approx_equal(rnn.w_hh_grad, 2.0 * once, "absdiff", 1e-12));
    rnn.zero_grad();
    CHECK(arma::accu(arma::abs(rnn.w_hh_grad)) == 0.0);
    CHECK(arma::accu(arma::abs(rnn.w_xh_grad)) == 0.0);
    CHECK(arma::accu(arma::abs(rnn.bias_grad)) == 0.0);
}

TEST_CASE("one BPTT step matches finite differences of one forward step", "[rnn][gradcheck]") {
    for (RnnActivation act : {RnnActivation::tanh, RnnActivation::linear}) {
        DYNAMIC_SECTION("activation " << tfm::to_string(act)) {
            arma::mat w_hh = tfm::normal(3, 3, 0.6), w_xh = tfm::normal(3, 2, 0.6),
                      bias = tfm::normal(1, 3);
            arma::mat h_prev = tfm::normal(1, 3), x_t = tfm::normal(1, 2);
            const arma::rowvec dh = tfm::normal(1, 3);
            auto loss = [&] {
                return arma::dot(tfm::rnn_step(w_hh, w_xh, bias, act, h_prev, x_t), dh);
            };
            const arma::rowvec h_t = tfm::rnn_step(w_hh, w_xh, bias, act, h_prev, x_t);
            const tfm::RnnStepGrads g =
                tfm::rnn_step_backward(w_hh, w_xh, act, h_prev, x_t, h_t, dh);
            CHECK(relative_error(g.dh_prev, numeric_grad(loss, h_prev)) <= kGradTolerance);
            CHECK(relative_error(g.dx, numeric_grad(loss, x_t)) <= kGradTolerance);
            CHECK(relative_error(g.dw_hh, numeric_grad(loss, w_hh)) <= kGradTolerance);
            CHECK(relative_error(g.dw_xh, numeric_grad(loss, w_xh)) <= kGradTolerance);
            CHECK(relative_error(g.dbias, numeric_grad(loss, bias)) <= kGradTolerance);
        }
    }
}

TEST_CASE("step_jacobian is dh_t/dh_{t-1} of the last forward", "[rnn][gradcheck]") {
    VanillaRnn rnn(2, 4, RnnActivation::tanh);
    const arma::mat x = tfm::normal(5, 2);
    rnn.forward(x);
    for (arma::uword t = 0; t < 5; ++t) {
        arma::mat h_prev = rnn.h_.row(t);
        arma::mat numeric(4, 4);
        for (arma::uword i = 0; i < 4; ++i) {
            auto unit_i = [&] {
                return tfm::rnn_step(rnn.w_hh, rnn.w_xh, rnn.bias, rnn.activation, h_prev,
                                     x.row(t))(i);
            };
            numeric.row(i) = numeric_grad(unit_i, h_prev);
        }
        const arma::mat analytic = rnn.step_jacobian(t);
        INFO("t = " << t << "\nanalytic\n" << analytic << "numeric\n" << numeric);
        CHECK(relative_error(analytic, numeric) <= kGradTolerance);
    }
}

TEST_CASE("parameter names and shapes agree between params and shapes", "[rnn]") {
    VanillaRnn rnn(3, 5);
    tfm::ParamList params;
    rnn.params("rnn.", params);
    tfm::ShapeList shapes;
    VanillaRnn::shapes("rnn.", 3, 5, shapes);
    REQUIRE(params.size() == shapes.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
        CHECK(params[i].name == shapes[i].name);
        CHECK(params[i].value->n_elem == shapes[i].count());
        CHECK(arma::size(*params[i].value) == arma::size(*params[i].grad));
    }
    CHECK(tfm::count_params(params) == 5 * 5 + 5 * 3 + 5);
}

TEST_CASE("the RNN activation parses tanh and linear and rejects anything else", "[rnn]") {
    CHECK(tfm::parse_rnn_activation("tanh") == RnnActivation::tanh);
    CHECK(tfm::parse_rnn_activation("linear") == RnnActivation::linear);
    CHECK_THROWS_AS(tfm::parse_rnn_activation("relu"), tfm::InputError);
    CHECK_THROWS_AS(tfm::parse_rnn_activation(""), tfm::InputError);
}

TEST_CASE("the RNN rejects inputs of the wrong width", "[rnn]") {
    VanillaRnn rnn(3, 4);
    CHECK_THROWS_AS(rnn.forward(arma::mat(5, 2, arma::fill::zeros)), tfm::InputError);
}
