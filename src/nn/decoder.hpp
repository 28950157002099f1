// A stack of N decoder layers; every layer reads the same memory (the encoder's final
// output); pre-LN adds a final LayerNorm ("norm."). Names: layers.{i}.…, norm.…
#pragma once
#include "nn/decoder_layer.hpp"

#include <vector>

namespace tfm {

class Decoder {
public:
    Decoder(const LayerConfig& config, arma::uword num_layers);

    arma::mat forward(const arma::mat& y, const arma::mat& memory, const Mask& tgt_mask,
                      const Mask& memory_mask = {}, arma::uword sequences = 1);
    struct Grads {
        arma::mat dy, dmemory;  // dmemory summed over all layers
    };
    Grads backward(const arma::mat& dout);

    void zero_grad();
    void params(const std::string& prefix, ParamList& out);  // layers.{i}.…, norm.…
    static void shapes(const std::string& prefix, const LayerConfig& config, arma::uword num_layers,
                       ShapeList& out);

    std::vector<DecoderLayer> layers;
    bool has_final_norm;
    LayerNorm norm;

    std::vector<arma::mat> layer_outputs_;
};

}  // namespace tfm
