// What a forward pass costs (lessons 04 and 08): multiply-adds counted from the shapes of
// the matrix products, dependent steps, and a robust wall-clock timer.
//
// Multiply-adds (MACs): an [r × m] · [m × c] product costs r·m·c. With
//   n = seq_len, h = num_heads, d_k = width of one head (so h·d_k columns in Q, K, V),
// one multi-head attention forward pass is
//   projections   Q, K, V = X · Wᵀ        3 × ([n × d_model] · [d_model × h·d_k])
//   scores        Q_j · K_jᵀ, per head    h × ([n × d_k] · [d_k × n])
//   mixing        weights_j · V_j         h × ([n × n] · [n × d_k])
//   output        concat · Woᵀ            [n × h·d_k] · [h·d_k × d_model]
// Bias additions, scaling and softmax's exponentials are O(n·d) or O(h·n²) scalar
// operations, not multiply-adds, and are left out. With d_k = d_model / h the total is
// 4·n·d² + 2·n²·d whatever h is; with d_k fixed it grows linearly with h.
// A vanilla RNN over T tokens (d_in inputs, d_hidden state) is
//   T · (d_hidden·d_hidden + d_hidden·d_in)   a_t = h_{t−1}·w_hhᵀ + x_t·w_xhᵀ, one step at a time.
//
// Dependent steps (each needs the previous one's result before it can start):
//   RNN: T — step t needs h_{t−1};
//   attention: 5 per layer whatever T is — projections → Q·Kᵀ → softmax → weights·V →
//   output projection, each a whole-sequence matrix operation that parallel hardware
//   can spread over all T tokens at once.
#pragma once
#include <armadillo>
#include <cstdint>
#include <functional>

namespace tfm {

// Multiply-adds of one [rows × inner] · [inner × cols] product.
std::uint64_t matmul_madds(std::uint64_t rows, std::uint64_t inner, std::uint64_t cols);

struct AttentionCost {
    arma::uword seq_len, d_model, num_heads, d_k;
    std::uint64_t projections;  // Q, K and V together
    std::uint64_t scores;       // all heads
    std::uint64_t mixing;       // all heads
    std::uint64_t output;       // Wo
    std::uint64_t total() const { return projections + scores + mixing + output; }
};

AttentionCost multi_head_attention_cost(arma::uword seq_len, arma::uword d_model,
                                        arma::uword num_heads, arma::uword d_k);

// The total of multi_head_attention_cost with d_k = d_model / h, which does not depend on h.
std::uint64_t self_attention_macs(std::uint64_t seq_len, std::uint64_t d_model);
std::uint64_t rnn_macs(std::uint64_t seq_len, std::uint64_t d_in, std::uint64_t d_hidden);

std::uint64_t rnn_dependent_steps(std::uint64_t seq_len);  // T
constexpr std::uint64_t kAttentionDependentSteps = 5;      // per layer, for any T

// Median wall-clock seconds of one call of `work`, robust on a busy machine: one warm-up
// call; calls too short to time are batched until a batch lasts ≥ min_batch_seconds;
// `repeats` batches are timed and the median per-call time is returned (the median
// ignores the batches another process happened to slow down).
double median_seconds(const std::function<void()>& work, int repeats = 7,
                      double min_batch_seconds = 2e-3);

// OpenBLAS's thread count (the library's own calls; no OpenMP anywhere in the course).
int blas_threads();
void set_blas_threads(int threads);

}  // namespace tfm
