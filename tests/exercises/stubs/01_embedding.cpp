// Exercises for lesson 01 (embedding). Replace each `throw` with your code, then run
//     make exercises
// Hints: docs/exercises.md#01-embedding. Declarations and shapes: exercises.hpp.
#include "exercises.hpp"

// The untouched exercises do not use their parameters yet; keep the build quiet.
#pragma GCC diagnostic ignored "-Wunused-parameter"

namespace ex {

arma::mat embedding_lookup(const arma::mat& table, const tfm::TokenIds& ids) {
    throw NotImplemented("ex::embedding_lookup — write it in lessons/exercises/01_embedding.cpp");
}

arma::mat positional_encoding(arma::uword seq_len, arma::uword d_model) {
    throw NotImplemented(
        "ex::positional_encoding — write it in lessons/exercises/01_embedding.cpp");
}

arma::mat add_positions(const arma::mat& embeddings) {
    throw NotImplemented("ex::add_positions — write it in lessons/exercises/01_embedding.cpp");
}

}  // namespace ex
