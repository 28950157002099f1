// Lesson 04's own numbers. Heads as blocks (DESIGN §5): head j owns rows j·d_k …
// (j+1)·d_k − 1 of wq/wk/wv, hence columns j·d_k … of Q, K, V. One [d_model × d_model]
// projection followed by a split into h column blocks is the same arithmetic as h
// separate [d_k × d_model] projections — which is why implementations run the one big
// product. And what h heads cost in multiply-adds.
#pragma once
#include "io/table.hpp"

#include <armadillo>
#include <vector>

namespace tfm {
class MultiHeadAttention;  // nn/multi_head_attention.hpp
}

namespace tfm::course {

// Columns j·d_k … (j+1)·d_k − 1 of m, with d_k = m.n_cols / num_heads.
arma::mat head_block(const arma::mat& m, arma::uword head, arma::uword num_heads);

// Each head's projection computed on its own: x · W_jᵀ + b_j, where W_j is head j's
// block of rows of weight [h·d_k × d_model] and b_j its slice of bias [1 × h·d_k]
// (bias may be empty). Returns h matrices [n × d_k].
std::vector<arma::mat> project_per_head(const arma::mat& x, const arma::mat& weight,
                                        const arma::mat& bias, arma::uword num_heads);

// One big projection = h small ones. For Q, K and V, each head's own [d_k × d_model]
// product on x (project_per_head) against its block of the big one.
TextTable head_split_table(const MultiHeadAttention& mha, const arma::mat& x);

// The multiply-adds of one multi-head attention over seq_len tokens, one row per head
// count h = 1, 2, 4, 8, 16: h, d_k, h·d_k, Q/K/V projections, scores + weights·V, Wo, the
// total, and the total against h = 1. d_k = d_model / h, or fixed_d_k when it is not 0.
TextTable head_cost_table(arma::uword seq_len, arma::uword d_model, arma::uword fixed_d_k);

}  // namespace tfm::course
