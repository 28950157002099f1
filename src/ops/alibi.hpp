// ALiBi, attention with linear biases (Press et al. 2022): no position is added to any
// vector; head j subtracts a penalty proportional to the distance from every score.
//   scaled(i, t) = q_i·k_t / √d_k − m_j · |i − t|                       [n_q × n_k]
// The slopes m_j form a geometric sequence: for h heads, a power of two, m_j = 2^(−8(j+1)/h)
// (8 heads: 1/2, 1/4, …, 1/256); otherwise the paper's recipe, the slopes of the power of
// two below h, then every other slope of the next power of two. With a causal mask only
// t ≤ i is seen, and |i − t| = i − t is the paper's decoder bias.
#pragma once
#include <armadillo>

namespace tfm {

arma::rowvec alibi_slopes(arma::uword num_heads);  // [1 × h]; InputError for h = 0

// −slope · |i − t| for query i, key t [n_q × n_k]: a constant, so no gradient flows into it.
arma::mat alibi_bias(arma::uword n_q, arma::uword n_k, double slope);

}  // namespace tfm
