// Exercises for lesson 09 (full model). Replace each `throw` with your code, then run
//     make exercises
// Hints: docs/exercises.md. Declarations and shapes: exercises.hpp.
#include "exercises.hpp"

// The untouched exercises do not use their parameters yet; keep the build quiet.
#pragma GCC diagnostic ignored "-Wunused-parameter"

namespace ex {

std::vector<tfm::DecodeStep> greedy_decode(tfm::Transformer& model, const tfm::TokenIds& src,
                                           arma::uword bos, arma::uword eos, arma::uword max_len) {
    throw NotImplemented("ex::greedy_decode — write it in lessons/exercises/09_full_model.cpp");
}

void adam_step(arma::mat& theta, const arma::mat& grad, arma::mat& m, arma::mat& v,
               unsigned long long t, double lr, const tfm::AdamOptions& options) {
    throw NotImplemented("ex::adam_step — write it in lessons/exercises/09_full_model.cpp");
}

}  // namespace ex
