// The attention side of lesson 08: the same last-token loss L = ⟨g, y_{T−1}⟩ as for the
// RNN (analysis/gradient_distance.hpp), pushed back through self-attention.
//
// In self-attention every output row reads every input row directly:
//   y_{T−1} = Σ_j weights[T−1, j] · v_j · woᵀ + …,   v_j = x_j · wvᵀ + bv
// so ∂L/∂x_j has a one-step path for every j, whatever the distance T − 1 − j. What can
// still shrink it is a saturated softmax: when one weight is ≈ 1 the others are ≈ 0,
// and ∂weights/∂scores = diag(w) − w·wᵀ ≈ 0 too. Scaling the scores (here by scaling
// wq) sharpens the softmax; score_scale_sweep measures what that does.
#pragma once
#include "nn/encoder.hpp"
#include "nn/multi_head_attention.hpp"

#include <armadillo>
#include <vector>

namespace tfm {

// ‖∂L/∂x_t‖ for self-attention (forward(x, x); the gradient reaching x is
// dquery_in + dkv_in). The module's gradients are zeroed first.
arma::vec self_attention_input_gradient_norms(MultiHeadAttention& attention, const arma::mat& x,
                                              const arma::rowvec& g);

// ‖∂L/∂x_t‖ for a stack of encoder layers.
arma::vec encoder_input_gradient_norms(Encoder& encoder, const arma::mat& x, const arma::rowvec& g);

// One row of the score-scale sweep.
struct ScoreScaleRow {
    double scale;            // scores multiplied by this (wq and bq scaled by it)
    arma::vec norms;         // ‖∂L/∂x_t‖ for t = 0 … T − 1
    double max_weight;       // the last query's largest attention weight, averaged over heads
    double log10_spread;     // log10(max_t norm / min_t norm): 0 = every token equally reached
};

// For each scale: a copy of `attention` with wq (weight and bias) multiplied by the scale,
// so that every score Q·Kᵀ is multiplied by it, then the gradient norms and how peaked
// the last query's softmax is. `attention` itself is not changed.
std::vector<ScoreScaleRow> score_scale_sweep(const MultiHeadAttention& attention, const arma::mat& x,
                                             const arma::rowvec& g, const std::vector<double>& scales);

}  // namespace tfm
