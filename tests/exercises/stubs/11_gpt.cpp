// Exercises for lesson 11 (GPT). Replace each `throw` with your code, then run
//     make exercises
// Hints: docs/exercises.md. Declarations and shapes: exercises.hpp.
#include "exercises.hpp"

// The untouched exercises do not use their parameters yet; keep the build quiet.
#pragma GCC diagnostic ignored "-Wunused-parameter"

namespace ex {

double causal_lm_loss(const arma::mat& logits, const tfm::TokenIds& window) {
    throw NotImplemented("ex::causal_lm_loss — write it in lessons/exercises/11_gpt.cpp");
}

arma::uword generation_step(tfm::Gpt& model, const tfm::TokenIds& ids, double temperature,
                            double u) {
    throw NotImplemented("ex::generation_step — write it in lessons/exercises/11_gpt.cpp");
}

}  // namespace ex
