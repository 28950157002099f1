// Sinusoidal positional encoding (Vaswani et al. 2017, §3.5):
//   PE[pos, 2i]   = sin(pos / 10000^(2i / d_model))
//   PE[pos, 2i+1] = cos(pos / 10000^(2i / d_model))
// and the input of the first layer: X = E[ids] · √d_model + PE[0 … n−1].
// Moving k positions is a fixed linear map: pair (sin a, cos a) → (sin(a+b), cos(a+b)) is a
// rotation by b = k / 10000^(2i/d_model), so PE[pos + k] = PE[pos] · M_k with M_k
// block-diagonal, one 2 × 2 rotation per pair, the same for every pos.
#pragma once
#include <armadillo>

namespace tfm {

arma::mat positional_encoding(arma::uword seq_len, arma::uword d_model);  // [seq_len × d_model]
// Row `pos` of it alone [1 × d_model] (incremental decoding adds one position at a time).
arma::rowvec positional_encoding_row(arma::uword pos, arma::uword d_model);
// M_k [d_model × d_model]; InputError unless d_model is even.
arma::mat sinusoidal_shift(arma::uword k, arma::uword d_model);

// embeddings · √d_model + PE.  Backward of this is d(embeddings) = dX · √d_model.
// A batch of `sequences` stacked sequences of one length: each starts again at position 0.
arma::mat add_positions(const arma::mat& embeddings, arma::uword sequences = 1);

}  // namespace tfm
