#include "nn/encoder_layer.hpp"

namespace tfm {

EncoderLayer::EncoderLayer(const LayerConfig& config)
    : norm_first(config.norm_first),
      self_attn(config.d_model, config.num_heads),
      norm1(config.d_model),
      ffn(config.d_model, config.d_ff, config.activation),
      norm2(config.d_model) {}

arma::mat EncoderLayer::forward(const arma::mat& x, const Mask& mask, arma::uword sequences) {
    if (norm_first) {
        const arma::mat n1 = norm1.forward(x);
        attn_out_ = self_attn.forward(n1, n1, mask, sequences);
        mid_ = x + attn_out_;
        ffn_out_ = ffn.forward(norm2.forward(mid_));
        output_ = mid_ + ffn_out_;
    } else {
        attn_out_ = self_attn.forward(x, x, mask, sequences);
        mid_ = norm1.forward(x + attn_out_);
        ffn_out_ = ffn.forward(mid_);
        output_ = norm2.forward(mid_ + ffn_out_);
    }
    return output_;
}

// Each residual "a = x + f(x)" sends dL/da both straight through and through f;
// self-attention reads its input as queries, keys and values, so those gradients add.
arma::mat EncoderLayer::backward(const arma::mat& dy) {
    if (norm_first) {
        const arma::mat dmid = dy + norm2.backward(ffn.backward(dy));
        const MultiHeadAttention::Grads g = self_attn.backward(dmid);
        return dmid + norm1.backward(g.dquery_in + g.dkv_in);
    }
    const arma::mat dres2 = norm2.backward(dy);
    const arma::mat dmid = dres2 + ffn.backward(dres2);
    const arma::mat dres1 = norm1.backward(dmid);
    const MultiHeadAttention::Grads g = self_attn.backward(dres1);
    return dres1 + g.dquery_in + g.dkv_in;
}

void EncoderLayer::zero_grad() {
    self_attn.zero_grad();
    norm1.zero_grad();
    ffn.zero_grad();
    norm2.zero_grad();
}

void EncoderLayer::params(const std::string& prefix, ParamList& out) {
    self_attn.params(prefix + "self_attn.", out);
    norm1.params(prefix + "norm1.", out);
    ffn.params(prefix + "ffn.", out);
    norm2.params(prefix + "norm2.", out);
}

void EncoderLayer::shapes(const std::string& prefix, const LayerConfig& config, ShapeList& out) {
    MultiHeadAttention::shapes(prefix + "self_attn.", config.d_model, out);
    LayerNorm::shapes(prefix + "norm1.", config.d_model, out);
    FeedForward::shapes(prefix + "ffn.", config.d_model, config.d_ff, out);
    LayerNorm::shapes(prefix + "norm2.", config.d_model, out);
}

}  // namespace tfm
