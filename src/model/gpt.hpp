// GPT, the article's §2 decoder stack: a decoder-only causal language model.
//
//   h₀ = E[ids] + P[0 … n)          E [V × d] token embedding, P [max_positions × d] learned
//   h  = Decoder(h₀, causal mask)    N decoder blocks without cross-attention, pre-LN as
//                                    GPT-2 (masked self-attention + FFN), then a final LN
//   logits = h · Eᵀ   [n × V]        the output layer tied to the token embedding: row t is
//                                    the score of every character for position t + 1
//
// Names: embed.weight, pos_embed.weight, decoder.layers.{i}.{self_attn,norm1,ffn,norm2}.…,
// decoder.norm.{weight,bias} (model/config.hpp's model_shapes lists the same).
// A batch is B sequences of one length n stacked by rows ([B·n × d]); attention stays
// within each sequence and the causal mask keeps position t from reading t + 1 ….
#pragma once
#include "model/config.hpp"
#include "nn/decoder.hpp"
#include "nn/dropout.hpp"
#include "nn/embedding.hpp"

#include <armadillo>
#include <vector>

namespace tfm {

class Gpt {
public:
    // config: decoder_only, norm_first, tie_output; src_vocab_size the vocabulary.
    explicit Gpt(const ModelConfig& config);

    // logits [B·n × V] for B sequences of the same length n ≤ max_positions.
    arma::mat forward(const std::vector<TokenIds>& batch);
    arma::mat forward(const TokenIds& ids) { return forward(std::vector<TokenIds>{ids}); }
    // dL/dlogits [B·n × V] → gradients of every parameter (the tied E gets both uses').
    void backward(const arma::mat& dlogits);

    // Incremental decoding (forward only): B sequences, one new position each per step.
    DecoderCache start_cache(arma::uword sequences, arma::uword capacity);
    // ids: the newest token of every sequence → its logits [B × V].
    arma::mat forward_step(const TokenIds& ids, DecoderCache& cache);

    void zero_grad();
    ParamList params();
    // Training's dropout (nn/dropout.hpp) on h₀ and on every block's sub-layer outputs;
    // rate 0 or rng null switches it off (as it starts).
    void set_dropout(double rate, std::mt19937_64* rng);

    ModelConfig config;
    Embedding embed, pos_embed;
    Decoder decoder;
    Dropout drop_embed;

private:
    arma::mat hidden_;  // the decoder's output, cached for backward
    arma::uword sequences_ = 0, length_ = 0;
};

// The configuration lesson 11 trains: d_model 64, 4 heads, d_ff 256, 2 blocks, 64
// positions, GELU, pre-LN, tied output.
ModelConfig gpt_lesson_config(arma::uword vocab_size);

}  // namespace tfm
