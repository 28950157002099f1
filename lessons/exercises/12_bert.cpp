// Exercises for lesson 12 (BERT). Replace each `throw` with your code, then run
//     make exercises
// Hints: docs/exercises.md. Declarations and shapes: exercises.hpp.
#include "exercises.hpp"

// The untouched exercises do not use their parameters yet; keep the build quiet.
#pragma GCC diagnostic ignored "-Wunused-parameter"

namespace ex {

tfm::MaskedExample mlm_masking(const tfm::TokenIds& ids, const arma::mat& u, arma::uword V) {
    throw NotImplemented("ex::mlm_masking — write it in lessons/exercises/12_bert.cpp");
}

}  // namespace ex
