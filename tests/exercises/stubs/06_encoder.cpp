// Exercises for lesson 06 (encoder). Replace each `throw` with your code, then run
//     make exercises
// Hints: docs/exercises.md. Declarations and shapes: exercises.hpp.
#include "exercises.hpp"

// The untouched exercises do not use their parameters yet; keep the build quiet.
#pragma GCC diagnostic ignored "-Wunused-parameter"

namespace ex {

arma::mat encoder_layer(tfm::EncoderLayer& layer, const arma::mat& x, const tfm::Mask& mask) {
    throw NotImplemented("ex::encoder_layer — write it in lessons/exercises/06_encoder.cpp");
}

}  // namespace ex
