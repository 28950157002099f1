// Sequential against parallel (lesson 08): how many steps must wait for the previous
// one, how much arithmetic each model does, and a robust wall-clock timer.
//
// Multiply-adds (MACs) of one forward pass over T tokens, width d (d_in = d_hidden = d):
//   RNN:            T · (d·d + d·d)            a_t = h_{t−1}·w_hhᵀ + x_t·w_xhᵀ, one step at a time
//   self-attention: 4·T·d² + 2·T²·d            Q, K, V, output projections; Q·Kᵀ; weights·V
// Dependent steps (each needs the previous one's result before it can start):
//   RNN: T — step t needs h_{t−1};
//   attention: 5 per layer whatever T is — projections → Q·Kᵀ → softmax → weights·V →
//   output projection, each a whole-sequence matrix operation that parallel hardware
//   can spread over all T tokens at once.
#pragma once
#include <cstdint>
#include <functional>

namespace tfm {

std::uint64_t rnn_macs(std::uint64_t seq_len, std::uint64_t d_in, std::uint64_t d_hidden);
std::uint64_t self_attention_macs(std::uint64_t seq_len, std::uint64_t d_model);

std::uint64_t rnn_dependent_steps(std::uint64_t seq_len);           // T
constexpr std::uint64_t kAttentionDependentSteps = 5;               // per layer, for any T

// Median wall-clock seconds of one call of `work`, robust on a busy machine: one warm-up
// call; calls too short to time are batched until a batch lasts ≥ min_batch_seconds;
// `repeats` batches are timed and the median per-call time is returned (the median
// ignores the batches another process happened to slow down).
double median_seconds(const std::function<void()>& work, int repeats = 7, double min_batch_seconds = 2e-3);

// OpenBLAS's thread count (the library's own calls; no OpenMP anywhere in the course).
int blas_threads();
void set_blas_threads(int threads);

}  // namespace tfm
