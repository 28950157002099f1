// The full encoder–decoder model (DESIGN §5 names):
//   src_embed.weight, tgt_embed.weight, encoder.…, decoder.…, generator.weight/.bias
//   X_src = src_embed(src) · √d + PE;  memory = Encoder(X_src, src padding mask)
//   X_tgt = tgt_embed(tgt) · √d + PE;  h = Decoder(X_tgt, memory, causal ∧ tgt padding, src padding)
//   logits = h · generatorᵀ + b   [n_tgt × tgt_vocab];  probs = softmax_rows(logits)
// With share_embeddings, src_embed, tgt_embed and generator.weight are one table
// (saved once as src_embed.weight); its gradient is the sum of the three uses.
//
// The *_batch forms take B sources of one length and B targets of one length (make_batch
// pads them with <pad>) and stack the sequences by rows: memory [B·n_src × d_model], logits
// [B·n_tgt × tgt_vocab]; every matrix product then serves the whole batch at once. The
// single-sequence forms are the batch of one.
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

class Transformer {
public:
    explicit Transformer(const ModelConfig& config);  // config.architecture == encoder_decoder

    // Padding tokens (id pad_id) in src are masked as keys; tgt gets causal + padding.
    arma::mat encode(const TokenIds& src);
    arma::mat decode(const TokenIds& tgt, const arma::mat& memory);  // decoder output h
    arma::mat forward(const TokenIds& src, const TokenIds& tgt);     // logits
    arma::mat encode_batch(const TokenBatch& src);
    arma::mat decode_batch(const TokenBatch& tgt, const arma::mat& memory);
    arma::mat forward_batch(const TokenBatch& src, const TokenBatch& tgt);
    // dL/dlogits → gradients into every parameter (embeddings included).
    void backward(const arma::mat& dlogits);

    void zero_grad();
    ParamList params();

    ModelConfig config;
    arma::uword pad_id = 0;
    Embedding src_embed, tgt_embed;
    Encoder encoder;
    Decoder decoder;
    Linear generator;

    arma::mat memory_, decoder_out_, logits_;  // cached by forward

private:
    void sync_tied();                 // copies the one shared table into its other uses
    std::vector<bool> src_is_pad_;    // from the last encode(), all sequences in a row
    arma::uword src_sequences_ = 0;   // how many sequences that encode() held
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
