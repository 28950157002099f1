// Exercises for lesson 14 (images). Replace each `throw` with your code, then run
//     make exercises
// Hints: docs/exercises.md. Declarations and shapes: exercises.hpp.
#include "exercises.hpp"

// The untouched exercises do not use their parameters yet; keep the build quiet.
#pragma GCC diagnostic ignored "-Wunused-parameter"

namespace ex {

arma::mat patchify(const arma::mat& image, arma::uword patch) {
    // Hints: docs/exercises.md#14-images
    throw NotImplemented("ex::patchify — write it in lessons/exercises/14_images.cpp");
}

}  // namespace ex
