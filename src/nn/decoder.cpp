#include "nn/decoder.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/shape.hpp"
#include "ops/sequence_rows.hpp"

#include <string>

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

void DecoderCache::reorder(const std::vector<arma::uword>& parents) {
    for (KVCache& cache : self) cache.reorder(parents);
    std::vector<arma::uword> sources(parents.size());
    for (std::size_t b = 0; b < parents.size(); ++b) sources[b] = source_of.at(parents[b]);
    source_of = std::move(sources);
}

void DecoderCache::truncate(arma::uword length) {
    for (KVCache& cache : self) cache.truncate(length);
}

DecoderCache Decoder::start_cache(const arma::mat& memory, arma::uword sources,
                                  const Mask& src_padding,
                                  const std::vector<arma::uword>& source_of, arma::uword capacity) {
    // A decoder-only stack (GPT) has no memory: its cross caches stay empty.
    const bool cross = !layers.empty() && layers.front().cross;
    if (cross) {
        const SequenceRows rows(memory.n_rows, sources, N_("memory rows"));
        require(src_padding.is_empty() ||
                    (src_padding.n_rows == sources && src_padding.n_cols == rows.length),
                [&] {
                    return tr("the source padding is {1}, expected {2}", shape_string(src_padding),
                              shape_string(sources, rows.length));
                });
    }
    DecoderCache cache;
    cache.source_of = source_of;
    cache.src_padding = src_padding;
    for (arma::uword s : source_of)
        require(s < sources, [&] { return tr("a sequence reads source {1} of {2}", s, sources); });
    for (DecoderLayer& layer : layers) {
        cache.self.emplace_back(source_of.size(), layer.self_attn.d_model, capacity);
        cache.cross.push_back(cross ? layer.cross_attn.project_memory(memory, sources) : KVCache());
    }
    return cache;
}

arma::mat Decoder::forward_step(const arma::mat& y, DecoderCache& cache) {
    require(y.n_rows == cache.sequences(), [&] {
        return "forward_step: " + std::to_string(y.n_rows) + " rows for a cache of " +
               std::to_string(cache.sequences()) + " sequences";
    });
    arma::mat h = y;
    for (std::size_t i = 0; i < layers.size(); ++i)
        h = layers[i].forward_step(h, cache.self[i], cache.cross[i], cache.source_of,
                                   cache.src_padding);
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

void Decoder::set_dropout(double rate, std::mt19937_64* rng) {
    for (DecoderLayer& layer : layers) layer.set_dropout(rate, rng);
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
