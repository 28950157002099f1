#include "nn/decoder_layer.hpp"

namespace tfm {

DecoderLayer::DecoderLayer(const LayerConfig& config)
    : norm_first(config.norm_first),
      cross(config.cross_attention),
      self_attn(config.d_model, config.num_heads),
      norm1(config.d_model),
      cross_attn(config.d_model, config.num_heads),
      norm2(config.d_model),
      ffn(config.d_model, config.d_ff, config.activation),
      norm3(config.d_model) {}

arma::mat DecoderLayer::forward(const arma::mat& y, const arma::mat& memory, const Mask& tgt_mask,
                                const Mask& memory_mask, arma::uword sequences) {
    const AddNorm sublayer(norm_first);
    a_ = sublayer.forward(norm1, y, [&](const arma::mat& h) {
        self_out_ = self_attn.forward(h, h, tgt_mask, sequences);
        return drop1.forward(self_out_);
    });
    b_ = !cross ? a_ : sublayer.forward(norm2, a_, [&](const arma::mat& h) {
        cross_out_ = cross_attn.forward(h, memory, memory_mask, sequences);
        return drop2.forward(cross_out_);
    });
    output_ = sublayer.forward(norm3, b_, [&](const arma::mat& h) {
        ffn_out_ = ffn.forward(h);
        return drop3.forward(ffn_out_);
    });
    return output_;
}

arma::mat DecoderLayer::forward_step(const arma::mat& y, KVCache& self_cache,
                                     const KVCache& cross_cache,
                                     const std::vector<arma::uword>& source_of,
                                     const Mask& src_padding) {
    const AddNorm sublayer(norm_first);
    const arma::mat a = sublayer.forward(
        norm1, y, [&](const arma::mat& h) { return self_attn.forward_step(h, self_cache); });
    const arma::mat b = !cross ? a : sublayer.forward(norm2, a, [&](const arma::mat& h) {
        return cross_attn.attend(h, cross_cache, source_of, src_padding);
    });
    return sublayer.forward(norm3, b, [&](const arma::mat& h) { return ffn.forward(h); });
}

// Cross-attention's keys and values come from memory, so its dkv_in is dL/dmemory;
// its queries come from the decoder stream, so dquery_in joins the residual path.
DecoderLayer::Grads DecoderLayer::backward(const arma::mat& dout) {
    const AddNorm sublayer(norm_first);
    Grads g;
    const arma::mat db = sublayer.backward(
        norm3, dout, [&](const arma::mat& d) { return ffn.backward(drop3.backward(d)); });
    const arma::mat da = !cross ? db : sublayer.backward(norm2, db, [&](const arma::mat& d) {
        MultiHeadAttention::Grads gc = cross_attn.backward(drop2.backward(d));
        g.dmemory = std::move(gc.dkv_in);
        return gc.dquery_in;
    });
    g.dy = sublayer.backward(norm1, da, [&](const arma::mat& d) {
        const MultiHeadAttention::Grads gs = self_attn.backward(drop1.backward(d));
        return arma::mat(gs.dquery_in + gs.dkv_in);
    });
    return g;
}

void DecoderLayer::zero_grad() {
    self_attn.zero_grad();
    norm1.zero_grad();
    if (cross) {
        cross_attn.zero_grad();
        norm2.zero_grad();
    }
    ffn.zero_grad();
    norm3.zero_grad();
}

void DecoderLayer::set_dropout(double rate, std::mt19937_64* rng) {
    drop1.set(rate, rng);
    drop2.set(rate, rng);
    drop3.set(rate, rng);
}

void DecoderLayer::params(const std::string& prefix, ParamList& out) {
    self_attn.params(prefix + "self_attn.", out);
    norm1.params(prefix + "norm1.", out);
    if (cross) {
        cross_attn.params(prefix + "cross_attn.", out);
        norm2.params(prefix + "norm2.", out);
    }
    ffn.params(prefix + "ffn.", out);
    norm3.params(prefix + (cross ? "norm3." : "norm2."), out);
}

void DecoderLayer::shapes(const std::string& prefix, const LayerConfig& config, ShapeList& out) {
    MultiHeadAttention::shapes(prefix + "self_attn.", config.d_model, out);
    LayerNorm::shapes(prefix + "norm1.", config.d_model, out);
    if (config.cross_attention) {
        MultiHeadAttention::shapes(prefix + "cross_attn.", config.d_model, out);
        LayerNorm::shapes(prefix + "norm2.", config.d_model, out);
    }
    FeedForward::shapes(prefix + "ffn.", config.d_model, config.d_ff, out);
    LayerNorm::shapes(prefix + (config.cross_attention ? "norm3." : "norm2."), config.d_model, out);
}

}  // namespace tfm
