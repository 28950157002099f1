#include "nn/decoder_layer.hpp"

#include "core/error.hpp"

namespace tfm {

DecoderLayer::DecoderLayer(const ModelConfig& config)
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

void DecoderLayer::shapes(const std::string& prefix, const ModelConfig& config, ShapeList& out) {
    MultiHeadAttention::shapes(prefix + "self_attn.", config.d_model, out);
    LayerNorm::shapes(prefix + "norm1.", config.d_model, out);
    MultiHeadAttention::shapes(prefix + "cross_attn.", config.d_model, out);
    LayerNorm::shapes(prefix + "norm2.", config.d_model, out);
    FeedForward::shapes(prefix + "ffn.", config.d_model, config.d_ff, out);
    LayerNorm::shapes(prefix + "norm3.", config.d_model, out);
}

Decoder::Decoder(const ModelConfig& config)
    : has_final_norm(config.norm_first), norm(config.d_model) {
    layers.reserve(config.decoder_layers);
    for (arma::uword i = 0; i < config.decoder_layers; ++i) layers.emplace_back(config);
}

// Every layer attends to the same memory: the encoder's final output.
arma::mat Decoder::forward(const arma::mat& y, const arma::mat& memory, const Mask& tgt_mask,
                           const Mask& memory_mask, arma::uword sequences) {
    layer_outputs_.clear();
    arma::mat h = y;
    for (DecoderLayer& layer : layers) {
        h = layer.forward(h, memory, tgt_mask, memory_mask, sequences);
        layer_outputs_.push_back(h);
    }
    return has_final_norm ? norm.forward(h) : h;
}

Decoder::Grads Decoder::backward(const arma::mat& dout) {
    Grads g;
    g.dy = has_final_norm ? norm.backward(dout) : dout;
    for (auto layer = layers.rbegin(); layer != layers.rend(); ++layer) {
        DecoderLayer::Grads lg = layer->backward(g.dy);
        g.dy = std::move(lg.dy);
        if (g.dmemory.is_empty()) g.dmemory = std::move(lg.dmemory);
        else g.dmemory += lg.dmemory;
    }
    return g;
}

void Decoder::zero_grad() {
    for (DecoderLayer& layer : layers) layer.zero_grad();
    norm.zero_grad();
}

void Decoder::params(const std::string& prefix, ParamList& out) {
    for (std::size_t i = 0; i < layers.size(); ++i)
        layers[i].params(prefix + "layers." + std::to_string(i) + ".", out);
    if (has_final_norm) norm.params(prefix + "norm.", out);
}

void Decoder::shapes(const std::string& prefix, const ModelConfig& config, ShapeList& out) {
    for (arma::uword i = 0; i < config.decoder_layers; ++i)
        DecoderLayer::shapes(prefix + "layers." + std::to_string(i) + ".", config, out);
    if (config.norm_first) LayerNorm::shapes(prefix + "norm.", config.d_model, out);
}

CausalityGap measure_causality(Decoder decoder, const arma::mat& y, const arma::mat& y_changed,
                               const arma::mat& memory, arma::uword first_changed) {
    require(first_changed >= 1 && first_changed < y.n_rows && arma::size(y) == arma::size(y_changed),
            "measure_causality needs two inputs of one shape and a changed row after the first");
    const Mask causal = causal_mask(y.n_rows);
    const arma::mat before = decoder.forward(y, memory, causal);
    const arma::mat after = decoder.forward(y_changed, memory, causal);
    const arma::mat gap = arma::abs(after - before);
    return {gap.rows(0, first_changed - 1).max(), gap.rows(first_changed, gap.n_rows - 1).max()};
}

}  // namespace tfm
