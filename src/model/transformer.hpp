// The full encoder–decoder model (DESIGN §5 names):
//   src_embed.weight, tgt_embed.weight, encoder.…, decoder.…, generator.weight/.bias
//   X_src = src_embed(src) · √d + PE;  memory = Encoder(X_src, src padding mask)
//   X_tgt = tgt_embed(tgt) · √d + PE;
//   h = Decoder(X_tgt, memory, causal ∧ tgt padding, src padding)
//   logits = h · generatorᵀ + b   [n_tgt × tgt_vocab];  probs = softmax_rows(logits)
// Tied weights are one tensor read by each use: with share_embeddings, tgt_embed and the
// generator read src_embed.weight; with tie_output alone, the generator reads
// tgt_embed.weight. The user holds no weight of its own (empty), params() lists the
// tensor once, and its gradient is the sum of its uses.
//
// encode() returns the memory together with its source padding; decode() takes both, as
// the Annotated Transformer's decode(memory, src_mask, tgt, tgt_mask) does.
//
// The *_batch forms take B sources of one length and B targets of one length (make_batch
// pads them with <pad>) and stack the sequences by rows: memory [B·n_src × d_model], logits
// [B·n_tgt × tgt_vocab]; every matrix product then serves the whole batch at once. The
// single-sequence forms are the batch of one.
//
// Incremental decoding with the KV cache (forward only): start_decoding computes every
// decoder layer's cross-attention K and V once per source; decode_step embeds one new
// token per sequence at position t = cache.length(), runs it through the stack (each layer
// appends one K and one V row per sequence) and returns that position's output. Step by
// step this gives, row for row, the last row of decode() over the whole prefix.
#pragma once
#include "model/config.hpp"
#include "nn/decoder.hpp"
#include "nn/embedding.hpp"
#include "nn/encoder.hpp"
#include "nn/linear.hpp"

#include <armadillo>
#include <string>
#include <vector>

namespace tfm {

using TokenBatch = std::vector<TokenIds>;

// The sequences of a batch one after another, as the stacked rows see them.
TokenIds concatenate(const TokenBatch& batch);

// What the decoder attends to: the encoder's output and which of its rows are padding.
struct Encoded {
    arma::mat memory;  // [B·n_src × d_model]
    Mask src_padding;  // [B × n_src], 1 where the source token is <pad>; empty: none is
};

class Transformer {
public:
    explicit Transformer(const ModelConfig& config);  // config.architecture == encoder_decoder

    // Padding tokens (id pad_id) in src are masked as keys; tgt gets causal + padding.
    Encoded encode(const TokenIds& src);
    // The decoder output h; memory and its padding from encode() (or any other source).
    arma::mat decode(const TokenIds& tgt, const arma::mat& memory, const Mask& src_padding);
    arma::mat forward(const TokenIds& src, const TokenIds& tgt);  // logits
    Encoded encode_batch(const TokenBatch& src);
    arma::mat decode_batch(const TokenBatch& tgt, const arma::mat& memory, const Mask& src_padding);
    arma::mat forward_batch(const TokenBatch& src, const TokenBatch& tgt);
    // `encoded` holds `sources` sources (encode_batch's B); sequence b continues source
    // source_of[b] (several beams may share one); capacity: the positions to make room
    // for (the cache grows beyond it when needed).
    DecoderCache start_decoding(const Encoded& encoded, arma::uword sources,
                                const std::vector<arma::uword>& source_of,
                                arma::uword capacity = 16);
    // tokens: one per sequence, at position cache.length() → h [B × d_model].
    arma::mat decode_step(const TokenIds& tokens, DecoderCache& cache);
    // logits = h · Wᵀ + b with the generator's weight or the table it is tied to.
    arma::mat generate(const arma::mat& h);
    // The weight generate() uses [tgt_vocab × d_model]: the generator's own, or the tied table.
    const arma::mat& generator_weight() const {
        return tied_output() ? target_table().weight : generator.weight;
    }
    // dL/dlogits → gradients into every parameter (embeddings included).
    void backward(const arma::mat& dlogits);

    void zero_grad();
    ParamList params();
    // The same names and shapes without building the model (model_shapes uses it).
    static void shapes(const ModelConfig& config, ShapeList& out);

    ModelConfig config;
    arma::uword pad_id = 0;
    Embedding src_embed, tgt_embed;
    Encoder encoder;
    Decoder decoder;
    Linear generator;

    arma::mat memory_, decoder_out_, logits_;  // cached by forward

private:
    bool tied_output() const { return config.share_embeddings || config.tie_output; }
    // The table target lookups (and a tied generator) read: tgt_embed's, or src_embed's
    // when shared.
    Embedding& target_table() { return config.share_embeddings ? src_embed : tgt_embed; }
    const Embedding& target_table() const {
        return config.share_embeddings ? src_embed : tgt_embed;
    }
};

// Greedy decoding: start from <bos>, append the arg-max token until <eos> or max_len
// new tokens. Returns the generated ids (without <bos>, with <eos> if produced), and
// each step's probability of its chosen token.
struct DecodeStep {
    arma::uword token;
    double probability;
};
std::vector<DecodeStep> greedy_decode(Transformer& model, const TokenIds& src, arma::uword bos,
                                      arma::uword eos, arma::uword max_len);
// The same for B sources of one length (padded), decoded side by side: one decoder pass
// per step for the whole batch. Sequence b's steps are element b.
std::vector<std::vector<DecodeStep>> greedy_decode_batch(Transformer& model, const TokenBatch& src,
                                                         arma::uword bos, arma::uword eos,
                                                         arma::uword max_len);

}  // namespace tfm
