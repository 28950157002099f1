// Exercises for lesson 13 (positions). Replace each `throw` with your code, then run
//     make exercises
// Hints: docs/exercises.md. Declarations and shapes: exercises.hpp.
#include "exercises.hpp"

// The untouched exercises do not use their parameters yet; keep the build quiet.
#pragma GCC diagnostic ignored "-Wunused-parameter"

namespace ex {

arma::mat rope_attention(const arma::mat& q, const arma::mat& k, const arma::mat& v,
                         bool half_split) {
    // Hints: docs/exercises.md#13-positions
    throw NotImplemented("ex::rope_attention — write it in lessons/exercises/13_positions.cpp");
}

}  // namespace ex
