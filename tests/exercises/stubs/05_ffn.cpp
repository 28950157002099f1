// Exercises for lesson 05 (feed-forward network and LayerNorm). Replace each `throw`
// with your code, then run
//     make exercises
// Hints: docs/exercises.md#05-ffn. Declarations and shapes: exercises.hpp.
#include "exercises.hpp"

// The untouched exercises do not use their parameters yet; keep the build quiet.
#pragma GCC diagnostic ignored "-Wunused-parameter"

namespace ex {

arma::mat layer_norm(const arma::mat& x, const arma::mat& weight, const arma::mat& bias,
                     double eps) {
    throw NotImplemented("ex::layer_norm — write it in lessons/exercises/05_ffn.cpp");
}

arma::mat feed_forward(const arma::mat& x, const arma::mat& w1, const arma::mat& b1,
                       const arma::mat& w2, const arma::mat& b2, tfm::Activation activation) {
    throw NotImplemented("ex::feed_forward — write it in lessons/exercises/05_ffn.cpp");
}

LayerNormGrads layer_norm_backward(const arma::mat& x, const arma::mat& weight, double eps,
                                   const arma::mat& dy) {
    throw NotImplemented("ex::layer_norm_backward — write it in lessons/exercises/05_ffn.cpp");
}

}  // namespace ex
