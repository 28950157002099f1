// Heads as blocks (DESIGN §5): head j owns rows j·d_k … (j+1)·d_k − 1 of wq/wk/wv,
// hence columns j·d_k … of Q, K, V. One [d_model × d_model] projection followed by a
// split into h column blocks is the same arithmetic as h separate [d_k × d_model]
// projections — which is why implementations run the one big product.
#pragma once
#include <armadillo>
#include <vector>

namespace tfm {

// Columns j·d_k … (j+1)·d_k − 1 of m, with d_k = m.n_cols / num_heads.
arma::mat head_block(const arma::mat& m, arma::uword head, arma::uword num_heads);

// Each head's projection computed on its own: x · W_jᵀ + b_j, where W_j is head j's
// block of rows of weight [h·d_k × d_model] and b_j its slice of bias [1 × h·d_k]
// (bias may be empty). Returns h matrices [n × d_k].
std::vector<arma::mat> project_per_head(const arma::mat& x, const arma::mat& weight,
                                        const arma::mat& bias, arma::uword num_heads);

}  // namespace tfm
