// A stack of N decoder layers; every layer reads the same memory (the encoder's final
// output); pre-LN adds a final LayerNorm ("norm."). Names: layers.{i}.…, norm.…
//
// Incremental decoding (forward only): start_cache computes every layer's cross-attention
// K and V of the memory once per source; forward_step runs one new position of B
// sequences through the stack, each layer appending one K and one V row per sequence to
// its self-attention cache. After t steps, layer i holds
//   self[i]:  B entries of K, V [t × d_model]      cross[i]:  sources entries of [n_src × d_model]
#pragma once
#include "nn/decoder_layer.hpp"
#include "nn/kv_cache.hpp"

#include <vector>

namespace tfm {

struct DecoderCache {
    std::vector<KVCache> self, cross;    // one of each per layer
    std::vector<arma::uword> source_of;  // sequence b reads the memory of source source_of[b]
    Mask src_padding;                    // [sources × n_src], 1 = <pad>; empty: none
    arma::uword length() const { return self.empty() ? 0 : self.front().length(); }  // t
    arma::uword sequences() const { return static_cast<arma::uword>(source_of.size()); }
    // Beam search: sequence b continues what sequence parents[b] was.
    void reorder(const std::vector<arma::uword>& parents);
    // Forgets the self-attention rows after the first `length` positions.
    void truncate(arma::uword length);
};

class Decoder {
public:
    Decoder(const LayerConfig& config, arma::uword num_layers);

    arma::mat forward(const arma::mat& y, const arma::mat& memory, const Mask& tgt_mask,
                      const Mask& memory_mask = {}, arma::uword sequences = 1);
    struct Grads {
        arma::mat dy, dmemory;  // dmemory summed over all layers
    };
    Grads backward(const arma::mat& dout);

    // memory: `sources` blocks of n_src rows (none without cross-attention: GPT, one
    // source for every sequence); capacity: the positions to make room for.
    DecoderCache start_cache(const arma::mat& memory, arma::uword sources, const Mask& src_padding,
                             const std::vector<arma::uword>& source_of, arma::uword capacity);
    // y [B × d_model]: position cache.length() of every sequence → its output [B × d_model].
    arma::mat forward_step(const arma::mat& y, DecoderCache& cache);

    void zero_grad();
    void set_dropout(double rate, std::mt19937_64* rng);     // every layer's; 0: off
    void params(const std::string& prefix, ParamList& out);  // layers.{i}.…, norm.…
    static void shapes(const std::string& prefix, const LayerConfig& config, arma::uword num_layers,
                       ShapeList& out);

    std::vector<DecoderLayer> layers;
    bool has_final_norm;
    LayerNorm norm;

    std::vector<arma::mat> layer_outputs_;
};

}  // namespace tfm
