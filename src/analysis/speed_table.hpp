// Sequential against parallel, measured (lesson 08). Two lean forward passes over the
// same inputs X [T × d_model], written to show the shape of the work, not to train:
//   RNN:       for t = 0 … T−1:  h = tanh(W_hh·h + W_xh·x_t + b)
//              — T matrix–vector products, each waiting for the previous h
//   attention: Q = X·Wqᵀ, K = X·Wkᵀ, V = X·Wvᵀ; per head S = Q_j·K_jᵀ/√d_k,
//              row softmax, S·V_j; output = concat·Woᵀ
//              — a few matrix products over all T tokens at once
// (the course's VanillaRnn and MultiHeadAttention compute the same maths, but also
// cache every intermediate for printing and backward; these kernels time only the maths).
// Times are medians of repeated runs (analysis/cost.hpp) on whatever machine runs this.
#pragma once
#include <armadillo>
#include <cstdint>
#include <vector>

namespace tfm {

// The two kernels, for the timer and for the test that checks they compute the maths
// above. x [T × d]; weights [d × d]; returns the last hidden state [d] / the output [T × d].
arma::vec rnn_forward_kernel(const arma::mat& x, const arma::mat& w_hh, const arma::mat& w_xh,
                             const arma::vec& bias);
arma::mat attention_forward_kernel(const arma::mat& x, const arma::mat& wq, const arma::mat& wk,
                                   const arma::mat& wv, const arma::mat& wo, arma::uword num_heads);

struct SpeedRow {
    arma::uword seq_len;
    int threads;
    std::uint64_t rnn_steps, attention_steps;  // dependent steps
    std::uint64_t rnn_macs, attention_macs;    // multiply-adds
    double rnn_seconds, attention_seconds;     // median wall-clock time of one forward pass
};

// Draws weights (scaled 1/√d) and inputs from the current generator, times both kernels
// for every length and OpenBLAS thread count, and restores the thread count.
// InputError if d_model is not divisible by num_heads.
std::vector<SpeedRow> measure_sequential_vs_parallel(const std::vector<arma::uword>& seq_lens,
                                                     arma::uword d_model, arma::uword num_heads,
                                                     const std::vector<int>& threads, int repeats = 7);

}  // namespace tfm
