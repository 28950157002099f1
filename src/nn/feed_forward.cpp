#include "nn/feed_forward.hpp"

namespace tfm {

FeedForward::FeedForward(arma::uword d_model, arma::uword d_ff, Activation activation)
    : activation(activation), linear1(d_model, d_ff), linear2(d_ff, d_model) {}

arma::mat FeedForward::forward(const arma::mat& x) {
    hidden_pre_ = linear1.forward(x);
    hidden_ = activate(activation, hidden_pre_, &cdf_);
    return linear2.forward(hidden_);
}

arma::mat FeedForward::backward(const arma::mat& dy) {
    const arma::mat dhidden = linear2.backward(dy);
    const arma::mat dhidden_pre = activate_backward(activation, hidden_pre_, dhidden, &cdf_);
    return linear1.backward(dhidden_pre);
}

void FeedForward::zero_grad() {
    linear1.zero_grad();
    linear2.zero_grad();
}

void FeedForward::params(const std::string& prefix, ParamList& out) {
    linear1.params(prefix + "linear1.", out);
    linear2.params(prefix + "linear2.", out);
}

void FeedForward::shapes(const std::string& prefix, arma::uword d_model, arma::uword d_ff,
                         ShapeList& out) {
    Linear::shapes(prefix + "linear1.", d_model, d_ff, out);
    Linear::shapes(prefix + "linear2.", d_ff, d_model, out);
}

}  // namespace tfm
