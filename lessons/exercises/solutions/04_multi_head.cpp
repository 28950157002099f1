// Reference solutions for lesson 04. The core splits and merges heads inside
// tfm::MultiHeadAttention::forward (src/nn/multi_head_attention.cpp) with the same
// column blocks as below; the whole module is the core's.
#include "exercises.hpp"

#include "core/error.hpp"
#include "nn/multi_head_attention.hpp"

namespace ex {

std::vector<arma::mat> split_heads(const arma::mat& x, arma::uword num_heads) {
    tfm::require(num_heads > 0 && x.n_cols % num_heads == 0,
                 "split_heads: " + std::to_string(x.n_cols) + " columns do not split into " +
                     std::to_string(num_heads) + " heads");
    const arma::uword d_k = x.n_cols / num_heads;
    std::vector<arma::mat> heads;
    for (arma::uword j = 0; j < num_heads; ++j) heads.push_back(x.cols(j * d_k, (j + 1) * d_k - 1));
    return heads;
}

arma::mat merge_heads(const std::vector<arma::mat>& heads) {
    arma::mat concat;
    for (const arma::mat& head : heads) concat = arma::join_rows(concat, head);
    return concat;
}

arma::mat multi_head_attention(const tfm::MultiHeadAttention& mha, const arma::mat& query_in,
                               const arma::mat& kv_in, const tfm::Mask& mask) {
    // forward() caches what backward needs, so it runs on a copy.
    tfm::MultiHeadAttention module = mha;
    return module.forward(query_in, kv_in, mask);
}

}  // namespace ex
