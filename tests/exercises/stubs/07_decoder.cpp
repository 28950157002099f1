// Exercises for lesson 07 (decoder). Replace each `throw` with your code, then run
//     make exercises
// Hints: docs/exercises.md. Declarations and shapes: exercises.hpp.
#include "exercises.hpp"

// The untouched exercises do not use their parameters yet; keep the build quiet.
#pragma GCC diagnostic ignored "-Wunused-parameter"

namespace ex {

arma::mat decoder_layer(tfm::DecoderLayer& layer, const arma::mat& y, const arma::mat& memory,
                        const tfm::Mask& tgt_mask, const tfm::Mask& memory_mask) {
    throw NotImplemented("ex::decoder_layer — write it in lessons/exercises/07_decoder.cpp");
}

}  // namespace ex
