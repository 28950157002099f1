#include "model/transformer.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/shape.hpp"
#include "nn/positional_encoding.hpp"
#include "ops/sequence_rows.hpp"
#include "ops/softmax.hpp"

#include <cmath>

namespace tfm {

namespace {

// Validates the configuration before any module draws its weights.
const ModelConfig& checked(const ModelConfig& config) {
    config.validate();
    require(config.architecture == Architecture::encoder_decoder, [&] {
        return tr("the Transformer class builds encoder-decoder models; '{1}' is not one",
                  config.name);
    });
    require(config.src_vocab_size > 0 && config.tgt_vocab_size > 0, [&] {
        return tr("an encoder-decoder model needs source and target vocabulary sizes");
    });
    require(!config.share_embeddings || config.src_vocab_size == config.tgt_vocab_size, [&] {
        return tr("shared embeddings need one vocabulary: src {1} vs tgt {2}",
                  config.src_vocab_size, config.tgt_vocab_size);
    });
    return config;
}

// The sequences one after another (checked to share one length), and that length.
struct Flat {
    TokenIds ids;
    arma::uword length = 0;
};

// source: the source side (else the target side), for the messages.
Flat flatten(const TokenBatch& batch, bool source) {
    require(!batch.empty(), [&] {
        return source ? tr("an empty batch of source") : tr("an empty batch of target");
    });
    Flat flat;
    flat.length = batch[0].size();
    require(flat.length > 0, [&] {
        return source ? tr("an empty source sequence") : tr("an empty target sequence");
    });
    for (const TokenIds& ids : batch)
        require(ids.size() == flat.length, [&] {
            return source ? tr("every source in a batch needs one length (pad them): {1} vs {2}",
                               ids.size(), flat.length)
                          : tr("every target in a batch needs one length (pad them): {1} vs {2}",
                               ids.size(), flat.length);
        });
    flat.ids = concatenate(batch);
    return flat;
}

std::vector<bool> is_pad(const TokenIds& ids, arma::uword pad_id) {
    std::vector<bool> flags(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) flags[i] = ids[i] == pad_id;
    return flags;
}

// The decoder's self-attention mask for B targets of length n stacked by rows:
// [B·n × n], each block causal ∧ that target's padding.
Mask target_mask(const TokenIds& ids, arma::uword sequences, arma::uword pad_id) {
    const SequenceRows rows(ids.size(), sequences, N_("target tokens"));
    const arma::uword n = rows.length;
    const std::vector<bool> pad = is_pad(ids, pad_id);
    Mask mask(ids.size(), n);
    for (arma::uword b = 0; b < sequences; ++b) {
        const auto first = pad.begin() + static_cast<std::ptrdiff_t>(rows.first(b));
        const std::vector<bool> target_pad(first, first + static_cast<std::ptrdiff_t>(n));
        mask.rows(rows.of(b)) = combine_masks(causal_mask(n), padding_mask(n, target_pad));
    }
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
    // Every module draws its weights (one seed, one model, whatever is tied); a tied use
    // then lets go of its own and reads the owner's tensor.
    if (config.share_embeddings) {
        tgt_embed.weight.reset();
        tgt_embed.weight_grad.reset();
    }
    if (tied_output()) {
        generator.weight.reset();
        generator.weight_grad.reset();
    }
}

Encoded Transformer::encode(const TokenIds& src) { return encode_batch({src}); }

arma::mat Transformer::decode(const TokenIds& tgt, const arma::mat& memory,
                              const Mask& src_padding) {
    return decode_batch({tgt}, memory, src_padding);
}

arma::mat Transformer::forward(const TokenIds& src, const TokenIds& tgt) {
    return forward_batch({src}, {tgt});
}

Encoded Transformer::encode_batch(const TokenBatch& src) {
    const Flat flat = flatten(src, true);
    const arma::uword sequences = src.size();
    Encoded out;
    out.src_padding = padding_rows(is_pad(flat.ids, pad_id), sequences);
    const Mask mask = key_padding_mask(out.src_padding, flat.length);
    memory_ =
        encoder.forward(add_positions(src_embed.forward(flat.ids), sequences), mask, sequences);
    out.memory = memory_;
    return out;
}

arma::mat Transformer::decode_batch(const TokenBatch& tgt, const arma::mat& memory,
                                    const Mask& src_padding) {
    const Flat flat = flatten(tgt, false);
    const arma::uword sequences = tgt.size();
    require(memory.n_cols == config.d_model, [&] {
        return tr("memory has {1} columns, d_model is {2}", memory.n_cols, config.d_model);
    });
    const SequenceRows sources(memory.n_rows, sequences, N_("memory rows"));
    require(src_padding.is_empty() ||
                (src_padding.n_rows == sequences && src_padding.n_cols == sources.length),
            [&] {
                return tr(
                    "the source padding is {1}, expected {2} (one row per sequence of the memory)",
                    shape_string(src_padding), shape_string(sequences, sources.length));
            });
    const Mask tgt_mask = target_mask(flat.ids, sequences, pad_id);
    const Mask memory_mask = key_padding_mask(src_padding, flat.length);
    const arma::mat x =
        add_positions(tgt_embed.forward(flat.ids, target_table().weight), sequences);
    decoder_out_ = decoder.forward(x, memory, tgt_mask, memory_mask, sequences);
    return decoder_out_;
}

DecoderCache Transformer::start_decoding(const Encoded& encoded, arma::uword sources,
                                         const std::vector<arma::uword>& source_of,
                                         arma::uword capacity) {
    require(encoded.memory.n_cols == config.d_model, [&] {
        return tr("memory has {1} columns, d_model is {2}", encoded.memory.n_cols, config.d_model);
    });
    return decoder.start_cache(encoded.memory, sources, encoded.src_padding, source_of, capacity);
}

// The step's input is what add_positions gives row t of the whole prefix: E[token]·√d + PE[t].
arma::mat Transformer::decode_step(const TokenIds& tokens, DecoderCache& cache) {
    require(tokens.size() == cache.sequences(),
            [&] { return tr("{1} tokens for {2} sequences", tokens.size(), cache.sequences()); });
    const double scale = std::sqrt(static_cast<double>(config.d_model));
    const arma::mat x =
        tgt_embed.forward(tokens, target_table().weight) * scale +
        arma::repmat(positional_encoding_row(cache.length(), config.d_model), tokens.size(), 1);
    return decoder.forward_step(x, cache);
}

arma::mat Transformer::generate(const arma::mat& h) {
    return tied_output() ? generator.forward(h, target_table().weight) : generator.forward(h);
}

arma::mat Transformer::forward_batch(const TokenBatch& src, const TokenBatch& tgt) {
    require(src.size() == tgt.size(),
            [&] { return tr("{1} sources but {2} targets", src.size(), tgt.size()); });
    const Encoded encoded = encode_batch(src);
    decode_batch(tgt, encoded.memory, encoded.src_padding);
    logits_ = generate(decoder_out_);
    return logits_;
}

// Backward of X = E[ids]·√d + PE is dE[ids] = dX·√d (PE has no parameters). A tied
// tensor's gradient collects each use's into the one gradient of its owner.
void Transformer::backward(const arma::mat& dlogits) {
    const double scale = std::sqrt(static_cast<double>(config.d_model));
    Embedding& table = target_table();
    const arma::mat dh = tied_output()
                             ? generator.backward(dlogits, table.weight, table.weight_grad)
                             : generator.backward(dlogits);
    const Decoder::Grads g = decoder.backward(dh);
    tgt_embed.backward(g.dy * scale, table.weight_grad);
    src_embed.backward(encoder.backward(g.dmemory) * scale);
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
    // A tied use holds no weight, so it lists none: each tensor appears once.
    src_embed.params("src_embed.", out);
    tgt_embed.params("tgt_embed.", out);
    encoder.params("encoder.", out);
    decoder.params("decoder.", out);
    generator.params("generator.", out);
    return out;
}

void Transformer::shapes(const ModelConfig& c, ShapeList& out) {
    const bool tied = c.share_embeddings || c.tie_output;
    Embedding::shapes("src_embed.", c.src_vocab_size, c.d_model, out);
    if (!c.share_embeddings) Embedding::shapes("tgt_embed.", c.tgt_vocab_size, c.d_model, out);
    Encoder::shapes("encoder.", c, c.encoder_layers, out);
    Decoder::shapes("decoder.", c, c.decoder_layers, out);
    Linear::shapes("generator.", c.d_model, c.tgt_vocab_size, out, true, !tied);
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
    const Encoded encoded = model.encode_batch(src);
    const arma::uword sequences = src.size();
    TokenBatch tgt(sequences, TokenIds{bos});
    std::vector<std::vector<DecodeStep>> steps(sequences);
    std::vector<bool> done(sequences, false);
    arma::uword remaining = sequences;
    for (arma::uword t = 1; t <= max_len && remaining > 0; ++t) {
        const arma::mat h = model.decode_batch(tgt, encoded.memory, encoded.src_padding);
        const SequenceRows rows(h.n_rows, sequences);
        arma::mat last(sequences, h.n_cols);
        for (arma::uword b = 0; b < sequences; ++b) last.row(b) = h.row(rows.last(b));
        const arma::mat probs = softmax_rows(model.generate(last));
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
