// The work of one multi-head attention forward pass, counted in multiply-adds from the
// shapes of its matrix products (an [r × m] · [m × c] product costs r·m·c).
//
//   n = seq_len, h = num_heads, d_k = width of one head (so h·d_k columns in Q, K, V)
//   projections   Q, K, V = X · Wᵀ        3 × ([n × d_model] · [d_model × h·d_k])
//   scores        Q_j · K_jᵀ, per head    h × ([n × d_k] · [d_k × n])
//   mixing        weights_j · V_j         h × ([n × n] · [n × d_k])
//   output        concat · Woᵀ            [n × h·d_k] · [h·d_k × d_model]
//
// Bias additions, scaling and softmax's exponentials are O(n·d) or O(h·n²) scalar
// operations, not multiply-adds, and are left out. With d_k = d_model / h the total
// does not depend on h; with d_k fixed it grows linearly with h.
#pragma once
#include <armadillo>
#include <cstdint>

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

}  // namespace tfm
