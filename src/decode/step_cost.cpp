#include "decode/step_cost.hpp"

#include "analysis/cost.hpp"

namespace tfm {

std::uint64_t step_multiply_adds(const ModelConfig& c, arma::uword n, arma::uword m, bool cached) {
    const std::uint64_t d = c.d_model, rows = cached ? 1 : n;
    std::uint64_t layer = 0;
    layer += 4 * matmul_madds(rows, d, d);       // self-attention q, k, v, o
    layer += 2 * matmul_madds(rows, d, n);       // scores Q·Kᵀ and mixing weights·V, all heads
    layer += 2 * matmul_madds(rows, d, d);       // cross-attention q, o
    layer += 2 * matmul_madds(rows, d, m);       // cross-attention scores and mixing
    layer += 2 * matmul_madds(rows, d, c.d_ff);  // FFN linear1, linear2
    if (!cached) layer += 2 * matmul_madds(m, d, d);  // K, V of the memory, again
    return c.decoder_layers * layer + matmul_madds(1, d, c.tgt_vocab_size);
}

std::uint64_t cross_kv_multiply_adds(const ModelConfig& c, arma::uword m) {
    return c.decoder_layers * 2 * matmul_madds(m, c.d_model, c.d_model);
}

}  // namespace tfm
