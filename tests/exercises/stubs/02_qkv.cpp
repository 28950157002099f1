// Exercises for lesson 02 (Q, K, V). Replace each `throw` with your code, then run
//     make exercises
// Hints: docs/exercises.md#02-qkv. Declarations and shapes: exercises.hpp.
#include "exercises.hpp"

// The untouched exercises do not use their parameters yet; keep the build quiet.
#pragma GCC diagnostic ignored "-Wunused-parameter"

namespace ex {

arma::mat linear(const arma::mat& x, const arma::mat& weight, const arma::mat& bias) {
    throw NotImplemented("ex::linear — write it in lessons/exercises/02_qkv.cpp");
}

Projections qkv_projections(const arma::mat& x, const tfm::Linear& wq, const tfm::Linear& wk,
                            const tfm::Linear& wv) {
    throw NotImplemented("ex::qkv_projections — write it in lessons/exercises/02_qkv.cpp");
}

}  // namespace ex
