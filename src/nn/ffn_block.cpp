#include "nn/ffn_block.hpp"

namespace tfm {

FfnBlock::FfnBlock(arma::uword d_model, arma::uword d_ff, Activation activation, bool norm_first)
    : norm_first(norm_first), ffn(d_model, d_ff, activation), norm(d_model) {}

arma::mat FfnBlock::forward(const arma::mat& x) {
    const arma::mat y = AddNorm(norm_first).forward(norm, x, [&](const arma::mat& h) {
        ffn_out_ = ffn.forward(h);
        return ffn_out_;
    });
    residual_ = x + ffn_out_;  // = y in pre-LN; the norm's input in post-LN
    return y;
}

arma::mat FfnBlock::backward(const arma::mat& dy) {
    return AddNorm(norm_first).backward(norm, dy, [&](const arma::mat& d) {
        return ffn.backward(d);
    });
}

void FfnBlock::zero_grad() {
    ffn.zero_grad();
    norm.zero_grad();
}

void FfnBlock::params(const std::string& prefix, ParamList& out) {
    ffn.params(prefix, out);
    norm.params(prefix + "norm.", out);
}

void FfnBlock::shapes(const std::string& prefix, arma::uword d_model, arma::uword d_ff,
                      ShapeList& out) {
    FeedForward::shapes(prefix, d_model, d_ff, out);
    LayerNorm::shapes(prefix + "norm.", d_model, out);
}

}  // namespace tfm
