#include "nn/decoder.hpp"

namespace tfm {

Decoder::Decoder(const LayerConfig& config, arma::uword num_layers)
    : has_final_norm(config.norm_first), norm(config.d_model) {
    layers.reserve(num_layers);
    for (arma::uword i = 0; i < num_layers; ++i) layers.emplace_back(config);
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
        if (g.dmemory.is_empty())
            g.dmemory = std::move(lg.dmemory);
        else
            g.dmemory += lg.dmemory;
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

void Decoder::shapes(const std::string& prefix, const LayerConfig& config, arma::uword num_layers,
                     ShapeList& out) {
    for (arma::uword i = 0; i < num_layers; ++i)
        DecoderLayer::shapes(prefix + "layers." + std::to_string(i) + ".", config, out);
    if (config.norm_first) LayerNorm::shapes(prefix + "norm.", config.d_model, out);
}

}  // namespace tfm
