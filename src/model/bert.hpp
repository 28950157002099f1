// BERT, the article's §2 encoder stack: an encoder-only masked language model.
//
//   h₀ = LN_e(E[ids] + P[0 … n))     E [V × d] token embedding, P [max_positions × d]
//                                    learned; one segment, so no segment table
//   h  = Encoder(h₀, padding mask)   N encoder layers, post-LN and GELU as BERT; no causal
//                                    mask: every position reads both sides
//   t  = LN_h(gelu(h · Wᵀ + b))      BERT's masked-LM head ("transform"), W [d × d]
//   logits = t · Eᵀ + bias  [n × V]  the output tied to the token embedding: row t scores
//                                    every character for position t itself (the masked one)
//
// Names: embed.weight, pos_embed.weight, embed_norm.{weight,bias},
// encoder.layers.{i}.{self_attn,norm1,ffn,norm2}.…, mlm_head.dense.{weight,bias},
// mlm_head.norm.{weight,bias}, mlm_head.bias (model/config.hpp's model_shapes lists the
// same). A batch is B sequences of one length n stacked by rows ([B·n × d]); a <pad> id
// is a key no position attends to, so padding changes no other row (tests/model/test_bert).
#pragma once
#include "model/config.hpp"
#include "nn/dropout.hpp"
#include "nn/embedding.hpp"
#include "nn/encoder.hpp"
#include "nn/layer_norm.hpp"
#include "nn/linear.hpp"

#include <armadillo>
#include <vector>

namespace tfm {

class Bert {
public:
    // config: encoder_only, post-LN, mlm_head, no pooler and no segments; src_vocab_size
    // the vocabulary.
    explicit Bert(const ModelConfig& config);

    // logits [B·n × V] for B sequences of the same length n ≤ max_positions.
    arma::mat forward(const std::vector<TokenIds>& batch);
    arma::mat forward(const TokenIds& ids) { return forward(std::vector<TokenIds>{ids}); }
    // Only rows `rows` of those logits ([rows × V], distinct indices into the B·n stacked
    // rows): the encoder runs on every position, the head on those alone. The masked-LM
    // loss needs no more (only the chosen 15% count), and the head and its logits over
    // 1,592 characters are half of lesson 12's work when every row has them.
    arma::mat forward_rows(const std::vector<TokenIds>& batch,
                           const std::vector<arma::uword>& rows);
    // dL/dlogits → gradients of every parameter (the tied E gets both uses'): [B·n × V]
    // after forward(batch), [rows × V] after forward_rows (every other row's gradient 0).
    void backward(const arma::mat& dlogits);

    void zero_grad();
    ParamList params();
    // Training's dropout (nn/dropout.hpp) on h₀ and on every layer's sub-layer outputs;
    // rate 0 or rng null switches it off (as it starts).
    void set_dropout(double rate, std::mt19937_64* rng);

    ModelConfig config;
    Embedding embed, pos_embed;
    LayerNorm embed_norm;
    Encoder encoder;
    Linear head_dense;
    LayerNorm head_norm;
    arma::mat head_bias, head_bias_grad;  // [1 × V]
    Dropout drop_embed;

private:
    arma::mat encode(const std::vector<TokenIds>& batch);  // the encoder's output [B·n × d]
    arma::mat head(const arma::mat& hidden);               // the masked-LM head → logits
    arma::mat hidden_, pre_gelu_, cdf_, transformed_;      // cached for backward (cdf_: Φ)
    arma::uvec rows_;  // the rows the head ran on after forward_rows; empty: every row
};

// The configuration lesson 12 trains: d_model 64, 4 heads, d_ff 256, 2 layers, 64
// positions, GELU, post-LN, the masked-LM head — the size of lesson 11's GPT.
ModelConfig bert_lesson_config(arma::uword vocab_size);

}  // namespace tfm
