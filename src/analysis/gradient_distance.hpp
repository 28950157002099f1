// How strongly does a loss on the LAST token reach each earlier input? (lesson 08)
//   L = ⟨g, y_{T−1}⟩  for a fixed direction g, so dL/dY is zero except its last row = g
//   series[t] = ‖∂L/∂x_t‖₂,  at distance T − 1 − t from the last token (0 … T − 1)
// The same inputs X [T × d] go through each model; only the model changes.
#pragma once
#include "rnn/vanilla_rnn.hpp"

#include <armadillo>

namespace tfm {

// dL/dY [T × d_out] for L = ⟨g, y_{T−1}⟩: zeros, and g in the last row.
arma::mat last_token_upstream(arma::uword seq_len, const arma::rowvec& g);

// ‖row t‖₂ for every row: [T].
arma::vec row_norms(const arma::mat& m);

// The distance of each position from the last: T − 1, …, 1, 0.
arma::vec distances(arma::uword seq_len);

// ‖∂L/∂x_t‖ for the RNN (runs forward and backward; the RNN's gradients are zeroed first
// and hold this loss's gradients afterwards).
arma::vec rnn_input_gradient_norms(VanillaRnn& rnn, const arma::mat& x, const arma::rowvec& g);

}  // namespace tfm
