#include "model/transformer.hpp"

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

// The sequences one after another (checked to share one length), and that length.
struct Flat {
    TokenIds ids;
    arma::uword length = 0;
};

Flat flatten(const TokenBatch& batch, const char* what) {
    require(!batch.empty(), std::string("an empty batch of ") + what);
    Flat flat;
    flat.length = batch[0].size();
    require(flat.length > 0, std::string("an empty ") + what + " sequence");
    for (const TokenIds& ids : batch)
        require(ids.size() == flat.length,
                std::string("every ") + what + " in a batch needs one length (pad them): " +
                    std::to_string(ids.size()) + " vs " + std::to_string(flat.length));
    flat.ids = concatenate(batch);
    return flat;
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

// Sequence b's padding flags: entries b·length … (b+1)·length − 1.
std::vector<bool> slice(const std::vector<bool>& flags, arma::uword b, arma::uword length) {
    return std::vector<bool>(flags.begin() + static_cast<std::ptrdiff_t>(b * length),
                             flags.begin() + static_cast<std::ptrdiff_t>((b + 1) * length));
}

// The stacked key-padding masks [B·n_q × n_k] of B sequences (empty when nothing is padding).
Mask stacked_padding_mask(arma::uword n_q, const std::vector<bool>& key_is_pad, arma::uword sequences) {
    if (!any(key_is_pad)) return Mask();
    const arma::uword n_k = key_is_pad.size() / sequences;
    Mask mask(n_q * sequences, n_k);
    for (arma::uword b = 0; b < sequences; ++b)
        mask.rows(b * n_q, (b + 1) * n_q - 1) = padding_mask(n_q, slice(key_is_pad, b, n_k));
    return mask;
}

}  // namespace

TokenIds concatenate(const TokenBatch& batch) {
    TokenIds all;
    for (const TokenIds& ids : batch) all.insert(all.end(), ids.begin(), ids.end());
    return all;
}

Transformer::Transformer(const ModelConfig& cfg)
    : config(checked(cfg)),
      src_embed(cfg.src_vocab_size, cfg.d_model),
      tgt_embed(cfg.tgt_vocab_size, cfg.d_model),
      encoder(cfg, cfg.encoder_layers),
      decoder(cfg, cfg.decoder_layers),
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

arma::mat Transformer::encode(const TokenIds& src) { return encode_batch({src}); }

arma::mat Transformer::decode(const TokenIds& tgt, const arma::mat& memory) {
    return decode_batch({tgt}, memory);
}

arma::mat Transformer::forward(const TokenIds& src, const TokenIds& tgt) {
    return forward_batch({src}, {tgt});
}

arma::mat Transformer::encode_batch(const TokenBatch& src) {
    sync_tied();
    const Flat flat = flatten(src, "source");
    const arma::uword sequences = src.size();
    src_is_pad_ = is_pad(flat.ids, pad_id);
    src_sequences_ = sequences;
    const Mask mask = stacked_padding_mask(flat.length, src_is_pad_, sequences);
    memory_ = encoder.forward(add_positions(src_embed.forward(flat.ids), sequences), mask, sequences);
    return memory_;
}

arma::mat Transformer::decode_batch(const TokenBatch& tgt, const arma::mat& memory) {
    sync_tied();
    const Flat flat = flatten(tgt, "target");
    const arma::uword sequences = tgt.size(), n = flat.length;
    require(memory.n_cols == config.d_model,
            "memory has " + std::to_string(memory.n_cols) + " columns, d_model is " +
                std::to_string(config.d_model));
    require(memory.n_rows % sequences == 0,
            "memory has " + std::to_string(memory.n_rows) + " rows, which do not split into " +
                std::to_string(sequences) + " sequences");
    const std::vector<bool> tgt_is_pad = is_pad(flat.ids, pad_id);
    Mask tgt_mask(n * sequences, n);
    for (arma::uword b = 0; b < sequences; ++b)
        tgt_mask.rows(b * n, (b + 1) * n - 1) =
            combine_masks(causal_mask(n), padding_mask(n, slice(tgt_is_pad, b, n)));
    // The source padding flags come from the encode() that made this memory.
    const bool src_known = src_sequences_ == sequences && src_is_pad_.size() == memory.n_rows;
    const Mask memory_mask = src_known ? stacked_padding_mask(n, src_is_pad_, sequences) : Mask();
    decoder_out_ = decoder.forward(add_positions(tgt_embed.forward(flat.ids), sequences), memory,
                                   tgt_mask, memory_mask, sequences);
    return decoder_out_;
}

arma::mat Transformer::forward_batch(const TokenBatch& src, const TokenBatch& tgt) {
    require(src.size() == tgt.size(), std::to_string(src.size()) + " sources but " +
                                          std::to_string(tgt.size()) + " targets");
    encode_batch(src);
    decode_batch(tgt, memory_);
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
    return greedy_decode_batch(model, {src}, bos, eos, max_len).front();
}

// Each step runs the decoder over every prefix so far and reads its last row; a sequence
// that produced <eos> is done, and the others go on until all are done or max_len.
std::vector<std::vector<DecodeStep>> greedy_decode_batch(Transformer& model, const TokenBatch& src,
                                                         arma::uword bos, arma::uword eos,
                                                         arma::uword max_len) {
    const arma::mat memory = model.encode_batch(src);
    const arma::uword sequences = src.size();
    TokenBatch tgt(sequences, TokenIds{bos});
    std::vector<std::vector<DecodeStep>> steps(sequences);
    std::vector<bool> done(sequences, false);
    arma::uword remaining = sequences;
    for (arma::uword t = 1; t <= max_len && remaining > 0; ++t) {
        const arma::mat h = model.decode_batch(tgt, memory);
        arma::mat last(sequences, h.n_cols);
        for (arma::uword b = 0; b < sequences; ++b) last.row(b) = h.row(b * t + t - 1);
        const arma::mat probs = softmax_rows(model.generator.forward(last));
        for (arma::uword b = 0; b < sequences; ++b) {
            arma::uword token = eos;
            if (!done[b]) {
                token = probs.row(b).index_max();
                steps[b].push_back({token, probs(b, token)});
                if (token == eos) {
                    done[b] = true;
                    --remaining;
                }
            }
            tgt[b].push_back(token);  // a finished sequence's later tokens are never read
        }
    }
    return steps;
}

}  // namespace tfm
