// A stack of N encoder layers, each reading the previous one's output; pre-LN adds a
// final LayerNorm ("norm."). Names: layers.{i}.…, norm.… under the prefix.
#pragma once
#include "nn/encoder_layer.hpp"

#include <vector>

namespace tfm {

class Encoder {
public:
    Encoder(const LayerConfig& config, arma::uword num_layers);

    arma::mat forward(const arma::mat& x, const Mask& mask = {}, arma::uword sequences = 1);
    arma::mat backward(const arma::mat& dy);

    void zero_grad();
    void set_dropout(double rate, std::mt19937_64* rng);  // every layer's; 0: off
    void params(const std::string& prefix, ParamList& out);
    static void shapes(const std::string& prefix, const LayerConfig& config, arma::uword num_layers,
                       ShapeList& out);

    std::vector<EncoderLayer> layers;
    bool has_final_norm;
    LayerNorm norm;  // used only when has_final_norm (pre-LN)

    std::vector<arma::mat> layer_outputs_;  // output of each layer, before the final norm
};

}  // namespace tfm
