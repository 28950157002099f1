#include "analysis/attention_cost.hpp"

namespace tfm {

std::uint64_t matmul_madds(std::uint64_t rows, std::uint64_t inner, std::uint64_t cols) {
    return rows * inner * cols;
}

AttentionCost multi_head_attention_cost(arma::uword seq_len, arma::uword d_model,
                                        arma::uword num_heads, arma::uword d_k) {
    const std::uint64_t n = seq_len, d = d_model, h = num_heads, dk = d_k;
    AttentionCost cost{seq_len, d_model, num_heads, d_k, 0, 0, 0, 0};
    cost.projections = 3 * matmul_madds(n, d, h * dk);
    cost.scores = h * matmul_madds(n, dk, n);
    cost.mixing = h * matmul_madds(n, n, dk);
    cost.output = matmul_madds(n, h * dk, d);
    return cost;
}

}  // namespace tfm
