#include "nn/decoder_layer.hpp"

namespace tfm {

DecoderLayer::DecoderLayer(const LayerConfig& config)
    : norm_first(config.norm_first),
      self_attn(config.d_model, config.num_heads),
      norm1(config.d_model),
      cross_attn(config.d_model, config.num_heads),
      norm2(config.d_model),
      ffn(config.d_model, config.d_ff, config.activation),
      norm3(config.d_model) {}

arma::mat DecoderLayer::forward(const arma::mat& y, const arma::mat& memory, const Mask& tgt_mask,
                                const Mask& memory_mask, arma::uword sequences) {
    if (norm_first) {
        const arma::mat n1 = norm1.forward(y);
        self_out_ = self_attn.forward(n1, n1, tgt_mask, sequences);
        a_ = y + self_out_;
        cross_out_ = cross_attn.forward(norm2.forward(a_), memory, memory_mask, sequences);
        b_ = a_ + cross_out_;
        ffn_out_ = ffn.forward(norm3.forward(b_));
        output_ = b_ + ffn_out_;
    } else {
        self_out_ = self_attn.forward(y, y, tgt_mask, sequences);
        a_ = norm1.forward(y + self_out_);
        cross_out_ = cross_attn.forward(a_, memory, memory_mask, sequences);
        b_ = norm2.forward(a_ + cross_out_);
        ffn_out_ = ffn.forward(b_);
        output_ = norm3.forward(b_ + ffn_out_);
    }
    return output_;
}

// Cross-attention's keys and values come from memory, so its dkv_in is dL/dmemory;
// its queries come from the decoder stream, so dquery_in joins the residual path.
DecoderLayer::Grads DecoderLayer::backward(const arma::mat& dout) {
    Grads g;
    if (norm_first) {
        const arma::mat db = dout + norm3.backward(ffn.backward(dout));
        const MultiHeadAttention::Grads gc = cross_attn.backward(db);
        const arma::mat da = db + norm2.backward(gc.dquery_in);
        const MultiHeadAttention::Grads gs = self_attn.backward(da);
        g.dy = da + norm1.backward(gs.dquery_in + gs.dkv_in);
        g.dmemory = gc.dkv_in;
        return g;
    }
    const arma::mat dres3 = norm3.backward(dout);
    const arma::mat db = dres3 + ffn.backward(dres3);
    const arma::mat dres2 = norm2.backward(db);
    const MultiHeadAttention::Grads gc = cross_attn.backward(dres2);
    const arma::mat dres1 = norm1.backward(dres2 + gc.dquery_in);
    const MultiHeadAttention::Grads gs = self_attn.backward(dres1);
    g.dy = dres1 + gs.dquery_in + gs.dkv_in;
    g.dmemory = gc.dkv_in;
    return g;
}

void DecoderLayer::zero_grad() {
    self_attn.zero_grad();
    norm1.zero_grad();
    cross_attn.zero_grad();
    norm2.zero_grad();
    ffn.zero_grad();
    norm3.zero_grad();
}

void DecoderLayer::params(const std::string& prefix, ParamList& out) {
    self_attn.params(prefix + "self_attn.", out);
    norm1.params(prefix + "norm1.", out);
    cross_attn.params(prefix + "cross_attn.", out);
    norm2.params(prefix + "norm2.", out);
    ffn.params(prefix + "ffn.", out);
    norm3.params(prefix + "norm3.", out);
}

void DecoderLayer::shapes(const std::string& prefix, const LayerConfig& config, ShapeList& out) {
    MultiHeadAttention::shapes(prefix + "self_attn.", config.d_model, out);
    LayerNorm::shapes(prefix + "norm1.", config.d_model, out);
    MultiHeadAttention::shapes(prefix + "cross_attn.", config.d_model, out);
    LayerNorm::shapes(prefix + "norm2.", config.d_model, out);
    FeedForward::shapes(prefix + "ffn.", config.d_model, config.d_ff, out);
    LayerNorm::shapes(prefix + "norm3.", config.d_model, out);
}

}  // namespace tfm
