#include "nn/encoder_layer.hpp"

namespace tfm {

EncoderLayer::EncoderLayer(const LayerConfig& config)
    : norm_first(config.norm_first),
      self_attn(config.d_model, config.num_heads),
      norm1(config.d_model),
      ffn(config.d_model, config.d_ff, config.activation),
      norm2(config.d_model) {}

arma::mat EncoderLayer::forward(const arma::mat& x, const Mask& mask, arma::uword sequences) {
    const AddNorm sublayer(norm_first);
    mid_ = sublayer.forward(norm1, x, [&](const arma::mat& h) {
        attn_out_ = self_attn.forward(h, h, mask, sequences);
        return drop1.forward(attn_out_);
    });
    output_ = sublayer.forward(norm2, mid_, [&](const arma::mat& h) {
        ffn_out_ = ffn.forward(h);
        return drop2.forward(ffn_out_);
    });
    return output_;
}

// Self-attention reads its input as queries, keys and values, so those gradients add.
arma::mat EncoderLayer::backward(const arma::mat& dy) {
    const AddNorm sublayer(norm_first);
    const arma::mat dmid = sublayer.backward(
        norm2, dy, [&](const arma::mat& d) { return ffn.backward(drop2.backward(d)); });
    return sublayer.backward(norm1, dmid, [&](const arma::mat& d) {
        const MultiHeadAttention::Grads g = self_attn.backward(drop1.backward(d));
        return arma::mat(g.dquery_in + g.dkv_in);
    });
}

void EncoderLayer::zero_grad() {
    self_attn.zero_grad();
    norm1.zero_grad();
    ffn.zero_grad();
    norm2.zero_grad();
}

void EncoderLayer::set_dropout(double rate, std::mt19937_64* rng) {
    drop1.set(rate, rng);
    drop2.set(rate, rng);
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
