#include "nn/encoder.hpp"

namespace tfm {

Encoder::Encoder(const LayerConfig& config, arma::uword num_layers)
    : has_final_norm(config.norm_first), norm(config.d_model) {
    layers.reserve(num_layers);
    for (arma::uword i = 0; i < num_layers; ++i) layers.emplace_back(config);
}

arma::mat Encoder::forward(const arma::mat& x, const Mask& mask, arma::uword sequences) {
    layer_outputs_.clear();
    arma::mat h = x;
    for (EncoderLayer& layer : layers) {
        h = layer.forward(h, mask, sequences);
        layer_outputs_.push_back(h);
    }
    return has_final_norm ? norm.forward(h) : h;
}

arma::mat Encoder::backward(const arma::mat& dy) {
    arma::mat dh = has_final_norm ? norm.backward(dy) : dy;
    for (auto layer = layers.rbegin(); layer != layers.rend(); ++layer) dh = layer->backward(dh);
    return dh;
}

void Encoder::zero_grad() {
    for (EncoderLayer& layer : layers) layer.zero_grad();
    norm.zero_grad();
}

void Encoder::set_dropout(double rate, std::mt19937_64* rng) {
    for (EncoderLayer& layer : layers) layer.set_dropout(rate, rng);
}

void Encoder::params(const std::string& prefix, ParamList& out) {
    for (std::size_t i = 0; i < layers.size(); ++i)
        layers[i].params(prefix + "layers." + std::to_string(i) + ".", out);
    if (has_final_norm) norm.params(prefix + "norm.", out);
}

void Encoder::shapes(const std::string& prefix, const LayerConfig& config, arma::uword num_layers,
                     ShapeList& out) {
    for (arma::uword i = 0; i < num_layers; ++i)
        EncoderLayer::shapes(prefix + "layers." + std::to_string(i) + ".", config, out);
    if (config.norm_first) LayerNorm::shapes(prefix + "norm.", config.d_model, out);
}

}  // namespace tfm
