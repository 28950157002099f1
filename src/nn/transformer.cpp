#include "nn/transformer.hpp"

#include "core/error.hpp"
#include "nn/positional_encoding.hpp"
#include "ops/softmax.hpp"

#include <cmath>

namespace tfm {

namespace {

// Validates the configuration before any module draws its weights.
const ModelConfig& checked(const ModelConfig& config) {
    config.validate();
    require(config.architecture == Architecture::encoder_decoder,
            "the Transformer class builds encoder-decoder models; '" + config.name + "' is not one");
    require(config.src_vocab_size > 0 && config.tgt_vocab_size > 0,
            "an encoder-decoder model needs source and target vocabulary sizes");
    require(!config.share_embeddings || config.src_vocab_size == config.tgt_vocab_size,
            "shared embeddings need one vocabulary: src " + std::to_string(config.src_vocab_size) +
                " vs tgt " + std::to_string(config.tgt_vocab_size));
    return config;
}

std::vector<bool> is_pad(const TokenIds& ids, arma::uword pad_id) {
    std::vector<bool> flags(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) flags[i] = ids[i] == pad_id;
    return flags;
}

bool any(const std::vector<bool>& flags) {
    for (bool f : flags)
        if (f) return true;
    return false;
}

}  // namespace

Transformer::Transformer(const ModelConfig& cfg)
    : config(checked(cfg)),
      src_embed(cfg.src_vocab_size, cfg.d_model),
      tgt_embed(cfg.tgt_vocab_size, cfg.d_model),
      encoder(cfg),
      decoder(cfg),
      generator(cfg.d_model, cfg.tgt_vocab_size) {
    sync_tied();
}

// Tied tensors live once in params() (src_embed.weight when shared, tgt_embed.weight when
// only the output is tied); the other modules read copies refreshed before every use,
// so an optimiser that updates the listed tensor updates every use of it.
void Transformer::sync_tied() {
    if (config.share_embeddings) tgt_embed.weight = src_embed.weight;
    if (config.share_embeddings || config.tie_output) generator.weight = tgt_embed.weight;
}

arma::mat Transformer::encode(const TokenIds& src) {
    sync_tied();
    src_is_pad_ = is_pad(src, pad_id);
    const Mask mask = any(src_is_pad_) ? padding_mask(src.size(), src_is_pad_) : Mask();
    memory_ = encoder.forward(add_positions(src_embed.forward(src)), mask);
    return memory_;
}

arma::mat Transformer::decode(const TokenIds& tgt, const arma::mat& memory) {
    sync_tied();
    require(memory.n_cols == config.d_model,
            "memory has " + std::to_string(memory.n_cols) + " columns, d_model is " +
                std::to_string(config.d_model));
    const std::vector<bool> tgt_is_pad = is_pad(tgt, pad_id);
    const Mask tgt_mask = combine_masks(causal_mask(tgt.size()), padding_mask(tgt.size(), tgt_is_pad));
    // The source padding flags come from the encode() that made this memory.
    const bool src_known = src_is_pad_.size() == memory.n_rows;
    const Mask memory_mask = src_known && any(src_is_pad_) ? padding_mask(tgt.size(), src_is_pad_) : Mask();
    decoder_out_ = decoder.forward(add_positions(tgt_embed.forward(tgt)), memory, tgt_mask, memory_mask);
    return decoder_out_;
}

arma::mat Transformer::forward(const TokenIds& src, const TokenIds& tgt) {
    encode(src);
    decode(tgt, memory_);
    logits_ = generator.forward(decoder_out_);
    return logits_;
}

// Backward of X = E[ids]·√d + PE is dE[ids] = dX·√d (PE has no parameters).
void Transformer::backward(const arma::mat& dlogits) {
    const double scale = std::sqrt(static_cast<double>(config.d_model));
    const bool tied_tgt = config.share_embeddings;
    const bool tied_out = config.share_embeddings || config.tie_output;
    // The copies' gradients are folded into the listed tensor below; start them at zero so
    // that the listed gradient accumulates across calls exactly once per use.
    if (tied_tgt) tgt_embed.weight_grad.zeros();
    if (tied_out) generator.weight_grad.zeros();

    const arma::mat dh = generator.backward(dlogits);
    const Decoder::Grads g = decoder.backward(dh);
    tgt_embed.backward(g.dy * scale);
    src_embed.backward(encoder.backward(g.dmemory) * scale);

    if (tied_out) {
        Embedding& owner = tied_tgt ? src_embed : tgt_embed;
        owner.weight_grad += generator.weight_grad;
        generator.weight_grad.zeros();
    }
    if (tied_tgt) {
        src_embed.weight_grad += tgt_embed.weight_grad;
        tgt_embed.weight_grad.zeros();
    }
}

void Transformer::zero_grad() {
    src_embed.zero_grad();
    tgt_embed.zero_grad();
    encoder.zero_grad();
    decoder.zero_grad();
    generator.zero_grad();
}

ParamList Transformer::params() {
    ParamList out;
    src_embed.params("src_embed.", out);
    if (!config.share_embeddings) tgt_embed.params("tgt_embed.", out);
    encoder.params("encoder.", out);
    decoder.params("decoder.", out);
    if (config.share_embeddings || config.tie_output) {
        out.push_back({"generator.bias", &generator.bias, &generator.bias_grad, true});
    } else {
        generator.params("generator.", out);
    }
    return out;
}

std::vector<DecodeStep> greedy_decode(Transformer& model, const TokenIds& src, arma::uword bos,
                                      arma::uword eos, arma::uword max_len) {
    const arma::mat memory = model.encode(src);
    TokenIds tgt{bos};
    std::vector<DecodeStep> steps;
    while (steps.size() < max_len) {
        const arma::mat h = model.decode(tgt, memory);
        const arma::mat probs = softmax_rows(model.generator.forward(h.row(h.n_rows - 1)));
        const arma::uword token = probs.index_max();
        steps.push_back({token, probs(0, token)});
        if (token == eos) break;
        tgt.push_back(token);
    }
    return steps;
}

}  // namespace tfm
