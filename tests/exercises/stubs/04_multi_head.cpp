// Exercises for lesson 04 (multi-head attention). Replace each `throw` with your code,
// then run
//     make exercises
// Hints: docs/exercises.md#04-multi-head. Declarations and shapes: exercises.hpp.
#include "exercises.hpp"

// The untouched exercises do not use their parameters yet; keep the build quiet.
#pragma GCC diagnostic ignored "-Wunused-parameter"

namespace ex {

std::vector<arma::mat> split_heads(const arma::mat& x, arma::uword num_heads) {
    throw NotImplemented("ex::split_heads — write it in lessons/exercises/04_multi_head.cpp");
}

arma::mat merge_heads(const std::vector<arma::mat>& heads) {
    throw NotImplemented("ex::merge_heads — write it in lessons/exercises/04_multi_head.cpp");
}

arma::mat multi_head_attention(const tfm::MultiHeadAttention& mha, const arma::mat& query_in,
                               const arma::mat& kv_in, const tfm::Mask& mask) {
    throw NotImplemented(
        "ex::multi_head_attention — write it in lessons/exercises/04_multi_head.cpp");
}

}  // namespace ex
