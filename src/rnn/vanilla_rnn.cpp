#include "rnn/vanilla_rnn.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/random.hpp"

#include <cmath>

namespace tfm {

RnnActivation parse_rnn_activation(const std::string& name) {
    if (name == "tanh") return RnnActivation::tanh;
    if (name == "linear") return RnnActivation::linear;
    throw InputError(tr("unknown RNN activation '{1}' (expected tanh or linear)", name));
}

std::string to_string(RnnActivation a) { return a == RnnActivation::tanh ? "tanh" : "linear"; }

namespace {
arma::rowvec act_of(RnnActivation act, const arma::rowvec& a) {
    return act == RnnActivation::tanh ? arma::rowvec(arma::tanh(a)) : a;
}
}  // namespace

arma::rowvec rnn_step(const arma::mat& w_hh, const arma::mat& w_xh, const arma::mat& bias,
                      RnnActivation act, const arma::rowvec& h_prev, const arma::rowvec& x_t) {
    const arma::rowvec a = h_prev * w_hh.t() + x_t * w_xh.t() + bias;
    return act_of(act, a);
}

RnnStepGrads rnn_step_backward(const arma::mat& w_hh, const arma::mat& w_xh, RnnActivation act,
                               const arma::rowvec& h_prev, const arma::rowvec& x_t,
                               const arma::rowvec& h_t, const arma::rowvec& dh) {
    // tanh′(a) = 1 − tanh(a)² = 1 − h²: the forward's output is all we need.
    const arma::rowvec da =
        act == RnnActivation::tanh ? arma::rowvec(dh % (1.0 - arma::square(h_t))) : dh;
    RnnStepGrads g;
    g.dw_hh = da.t() * h_prev;
    g.dw_xh = da.t() * x_t;
    g.dbias = da;
    g.dx = da * w_xh;
    g.dh_prev = da * w_hh;
    return g;
}

VanillaRnn::VanillaRnn(arma::uword d_in, arma::uword d_hidden, RnnActivation activation)
    : d_in(d_in), d_hidden(d_hidden), activation(activation) {
    require(d_in >= 1 && d_hidden >= 1, tr("RNN sizes must be at least 1"));
    const double bound = 1.0 / std::sqrt(static_cast<double>(d_hidden));
    w_hh = uniform(d_hidden, d_hidden, bound);
    w_xh = uniform(d_hidden, d_in, bound);
    bias = uniform(1, d_hidden, bound);
    zero_grad();
}

arma::mat VanillaRnn::forward(const arma::mat& x, const arma::rowvec& h0) {
    require(x.n_cols == d_in, tr("RNN input has {1} columns, expected d_in = {2}", x.n_cols, d_in));
    require(h0.is_empty() || h0.n_elem == d_hidden,
            tr("RNN h0 must have d_hidden = {1} entries", d_hidden));
    const arma::uword T = x.n_rows;
    x_ = x;
    a_.set_size(T, d_hidden);
    h_.zeros(T + 1, d_hidden);
    if (!h0.is_empty()) h_.row(0) = h0;
    for (arma::uword t = 0; t < T; ++t) {
        const arma::rowvec a = h_.row(t) * w_hh.t() + x.row(t) * w_xh.t() + bias;
        a_.row(t) = a;
        h_.row(t + 1) = act_of(activation, a);
    }
    return h_.rows(1, T);
}

arma::mat VanillaRnn::backward(const arma::mat& dH) {
    const arma::uword T = x_.n_rows;
    require(dH.n_rows == T && dH.n_cols == d_hidden, tr("RNN backward: dH must be [T × d_hidden]"));
    arma::mat dx(T, d_in);
    arma::rowvec dh_next(d_hidden, arma::fill::zeros);  // what step t+1 sends back to h_t
    for (arma::uword k = T; k-- > 0;) {
        const arma::rowvec dh = dH.row(k) + dh_next;
        const RnnStepGrads g =
            rnn_step_backward(w_hh, w_xh, activation, h_.row(k), x_.row(k), h_.row(k + 1), dh);
        w_hh_grad += g.dw_hh;
        w_xh_grad += g.dw_xh;
        bias_grad += g.dbias;
        dx.row(k) = g.dx;
        dh_next = g.dh_prev;
    }
    dh0_ = dh_next;
    return dx;
}

arma::mat VanillaRnn::step_jacobian(arma::uword t) const {
    require(t < a_.n_rows,
            "step_jacobian: step " + std::to_string(t) + " is beyond the last forward");
    arma::vec slope(d_hidden, arma::fill::ones);
    if (activation == RnnActivation::tanh) slope = 1.0 - arma::square(h_.row(t + 1).t());
    return arma::diagmat(slope) * w_hh;
}

void VanillaRnn::zero_grad() {
    w_hh_grad.zeros(arma::size(w_hh));
    w_xh_grad.zeros(arma::size(w_xh));
    bias_grad.zeros(arma::size(bias));
}

void VanillaRnn::params(const std::string& prefix, ParamList& out) {
    out.push_back({prefix + "w_hh", &w_hh, &w_hh_grad, false});
    out.push_back({prefix + "w_xh", &w_xh, &w_xh_grad, false});
    out.push_back({prefix + "bias", &bias, &bias_grad, true});
}

void VanillaRnn::shapes(const std::string& prefix, arma::uword d_in, arma::uword d_hidden,
                        ShapeList& out) {
    out.push_back({prefix + "w_hh", {d_hidden, d_hidden}});
    out.push_back({prefix + "w_xh", {d_hidden, d_in}});
    out.push_back({prefix + "bias", {d_hidden}});
}

}  // namespace tfm
