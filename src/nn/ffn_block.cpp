#include "nn/ffn_block.hpp"

namespace tfm {

FfnBlock::FfnBlock(arma::uword d_model, arma::uword d_ff, Activation activation, bool norm_first)
    : norm_first(norm_first), ffn(d_model, d_ff, activation), norm(d_model) {}

arma::mat FfnBlock::forward(const arma::mat& x) {
    if (norm_first) {
        ffn_out_ = ffn.forward(norm.forward(x));
        residual_ = x + ffn_out_;
        return residual_;
    }
    ffn_out_ = ffn.forward(x);
    residual_ = x + ffn_out_;
    return norm.forward(residual_);
}

arma::mat FfnBlock::backward(const arma::mat& dy) {
    if (norm_first) {
        // y = x + FFN(LN(x)): the residual path carries dy straight through.
        arma::mat dx = dy + norm.backward(ffn.backward(dy));
        return dx;
    }
    // y = LN(x + FFN(x)): both paths receive the gradient of the sum.
    const arma::mat dresidual = norm.backward(dy);
    arma::mat dx = dresidual + ffn.backward(dresidual);
    return dx;
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
