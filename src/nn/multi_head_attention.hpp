// Multi-head attention with h heads of width d_k = d_model / h:
//   Q = query_in · wqᵀ + bq,  K = kv_in · wkᵀ + bk,  V = kv_in · wvᵀ + bv   [n × d_model]
//   head j uses columns j·d_k … (j+1)·d_k − 1 of Q, K, V (= rows of wq/wk/wv; PyTorch's split)
//   heads_j = attention(Q_j, K_j, V_j, mask)                                 [n_q × d_k]
//   concat  = [heads_0 | heads_1 | … ]                                       [n_q × d_model]
//   output  = concat · woᵀ + bo
// Self-attention: forward(x, x, mask). Cross-attention: forward(y, memory, mask).
//
// A batch of B sequences is B blocks of rows stacked: query_in [B·n_q × d_model], kv_in
// [B·n_k × d_model], and the mask [B·n_q × n_k] (sequence b's mask in rows b·n_q …). The
// projections are one matrix product for the whole batch; attention stays inside each
// sequence. Head j of sequence b is heads_[b·num_heads + j].
//
// Incremental decoding (forward only, nn/kv_cache.hpp): forward_step takes one new row per
// sequence [B × d_model], appends its K and V rows to the cache and attends over every
// cached row of its sequence (the future is not in the cache yet, so no causal mask is
// needed); attend reads a cache filled once, such as the memory's K and V from
// project_memory. Both give the rows forward() gives for the newest position.
//
// Two paths through the heads, the same numbers to the last bit (tests/nn/test_head_paths.cpp):
//   per_head  the formula as written: each head's blocks of Q, K, V are taken out of the
//             projections and handed to scaled_dot_product_attention (ops/attention.hpp),
//             which returns fresh matrices; the teaching path
//   batched   the default: the same function on every head of every sequence in one pass,
//             fed from matrices kept between calls (the head's blocks copied in, the results
//             written in place, the mask's block, RoPE's angles and ALiBi's bias made once
//             per call): no allocation per head, which for many small heads (d_k 8, n 16:
//             768 heads per forward pass of lesson 09's model) cost more than the arithmetic
//
// Positions inside attention (lesson 13; off by default): with positions.rope, every
// head's Q and K rows are rotated by their position in their sequence (ops/rope.hpp)
// before the scores, and q_, k_ hold the rotated rows; with positions.alibi, head j adds
// −m_j·|i − t| to its scaled scores (ops/alibi.hpp). Neither touches V. The KV-cache
// paths (forward_step, attend) refuse both.
#pragma once
#include "core/params.hpp"
#include "nn/kv_cache.hpp"
#include "nn/linear.hpp"
#include "ops/attention.hpp"
#include "ops/mask.hpp"
#include "ops/rope.hpp"

#include <armadillo>
#include <string>
#include <vector>

namespace tfm {

struct AttentionPositions {
    bool rope = false;
    RopeLayout rope_layout = RopeLayout::interleaved;
    bool alibi = false;
};

enum class HeadPath { per_head, batched };

class MultiHeadAttention {
public:
    MultiHeadAttention(arma::uword d_model, arma::uword num_heads);  // InputError if h ∤ d_model

    arma::mat forward(const arma::mat& query_in, const arma::mat& kv_in, const Mask& mask = {},
                      arma::uword sequences = 1);

    struct Grads {
        arma::mat dquery_in;  // [n_q × d_model]
        arma::mat dkv_in;     // [n_k × d_model]  (for self-attention, add the two)
    };
    Grads backward(const arma::mat& doutput);

    // Self-attention of one new row per sequence: K, V of query_in appended to `cache`
    // (entry b = sequence b), then row b attends over entry b.        [B × d_model]
    arma::mat forward_step(const arma::mat& query_in, KVCache& cache);
    // Cross-attention's K = memory · wkᵀ + bk and V, computed once: one entry per source
    // (memory is `sources` blocks of rows stacked).
    KVCache project_memory(const arma::mat& memory, arma::uword sources);
    // Row b of query_in attends over cache entry entry_of[b]; key_padding [entries × t]
    // blocks the padded keys of each entry (empty: none).                [B × d_model]
    arma::mat attend(const arma::mat& query_in, const KVCache& cache,
                     const std::vector<arma::uword>& entry_of, const Mask& key_padding = {});

    void zero_grad();
    void params(const std::string& prefix, ParamList& out);  // wq., wk., wv., wo. (weight, bias)
    static void shapes(const std::string& prefix, arma::uword d_model, ShapeList& out);

    arma::uword d_model, num_heads, d_k;
    Linear wq, wk, wv, wo;
    AttentionPositions positions;  // none unless set
    HeadPath path = HeadPath::batched;

    // Cached by forward, for lessons to print and backward to use.
    arma::mat q_, k_, v_;                 // full projections [n × d_model]
    std::vector<AttentionResult> heads_;  // per head: scores, scaled, weights, output
    arma::mat concat_;                    // [n_q × d_model]
    arma::uword sequences_ = 1;

private:
    void heads_per_head(const Mask& mask);
    void heads_batched(const Mask& mask);
    void backward_per_head(const arma::mat& dconcat, arma::mat& dq, arma::mat& dk, arma::mat& dv);
    void backward_batched(const arma::mat& dconcat, arma::mat& dq, arma::mat& dk, arma::mat& dv);

    // The batched path's buffers: one head's blocks, the mask of one sequence, ALiBi's
    // bias per head, one head's gradients.
    arma::mat q_head_, k_head_, v_head_, doutput_head_;
    Mask mask_block_;
    std::vector<arma::mat> alibi_bias_;
    AttentionGrads head_grads_;
};

}  // namespace tfm
