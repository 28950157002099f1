// Rotary position embedding, RoPE (Su et al. 2021): rotate each pair of a query's or
// key's d_k columns by an angle that grows with the position t of its row.
//   θ_i   = base^(−2i / d_k),  i = 0 … d_k/2 − 1,  base = 10000
//   (a, b) → (a·cos tθ_i − b·sin tθ_i,  a·sin tθ_i + b·cos tθ_i)       x, y [n × d_k]
// Which two columns form pair i is the layout:
//   interleaved  columns 2i and 2i+1        (the paper; Meta's original LLaMA code)
//   half_split   columns i and i + d_k/2    (GPT-NeoX; Hugging Face's rotate_half)
// A rotation keeps lengths, and rotating q by mθ and k by nθ leaves q_m·k_n a function of
// m − n only. Backward: the transpose of a rotation is the rotation by −tθ_i.
#pragma once
#include <armadillo>
#include <string>
#include <vector>

namespace tfm {

enum class RopeLayout { interleaved, half_split };
RopeLayout rope_layout(const std::string& name);  // "interleaved" | "half-split", else InputError
std::string to_string(RopeLayout layout);

constexpr double kRopeBase = 10000.0;

// θ_i for i = 0 … d_k/2 − 1 [1 × d_k/2]; InputError unless d_k is even and > 0.
arma::rowvec rope_frequencies(arma::uword d_k, double base = kRopeBase);

// Row r of x is at position first_position + r. inverse: rotate by −tθ_i (the backward).
arma::mat rope_rotate(const arma::mat& x, RopeLayout layout, arma::uword first_position = 0,
                      bool inverse = false, double base = kRopeBase);
// The same, in place, for every head (block of d_k columns) of every sequence of a batch
// (`sequences` blocks of rows, each from position 0), the angles computed once: x [B·n × h·d_k].
void rope_rotate_heads(arma::mat& x, arma::uword d_k, arma::uword sequences, RopeLayout layout,
                       bool inverse = false, double base = kRopeBase);

// The permutation of one head's d_k rows of wq and wk (and their biases) that turns an
// interleaved model into the same half-split model: half-split row r is interleaved row
// permutation[r] (r < d_k/2: 2r; otherwise 2(r − d_k/2) + 1).
std::vector<arma::uword> rope_layout_permutation(arma::uword d_k);

}  // namespace tfm
