// Exercises for lesson 03 (attention). Replace each `throw` with your code, then run
//     make exercises
// Hints: docs/exercises.md#03-attention. Declarations and shapes: exercises.hpp.
#include "exercises.hpp"

// The untouched exercises do not use their parameters yet; keep the build quiet.
#pragma GCC diagnostic ignored "-Wunused-parameter"

namespace ex {

arma::mat softmax_rows(const arma::mat& scores, const tfm::Mask& mask) {
    throw NotImplemented("ex::softmax_rows — write it in lessons/exercises/03_attention.cpp");
}

arma::mat scaled_dot_product_attention(const arma::mat& q, const arma::mat& k, const arma::mat& v,
                                       const tfm::Mask& mask) {
    throw NotImplemented(
        "ex::scaled_dot_product_attention — write it in lessons/exercises/03_attention.cpp");
}

tfm::Mask causal_mask(arma::uword n) {
    throw NotImplemented("ex::causal_mask — write it in lessons/exercises/03_attention.cpp");
}

tfm::Mask padding_mask(arma::uword n_q, const std::vector<bool>& key_is_pad) {
    throw NotImplemented("ex::padding_mask — write it in lessons/exercises/03_attention.cpp");
}

arma::mat softmax_rows_backward(const arma::mat& weights, const arma::mat& dweights) {
    throw NotImplemented(
        "ex::softmax_rows_backward — write it in lessons/exercises/03_attention.cpp");
}

}  // namespace ex
