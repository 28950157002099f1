// Exercises for lesson 10 (decoding). Replace each `throw` with your code, then run
//     make exercises
// Hints: docs/exercises.md. Declarations and shapes: exercises.hpp.
#include "exercises.hpp"

// The untouched exercises do not use their parameters yet; keep the build quiet.
#pragma GCC diagnostic ignored "-Wunused-parameter"

namespace ex {

arma::rowvec sampling_distribution(const arma::rowvec& logits, double temperature,
                                   arma::uword top_k, double top_p) {
    throw NotImplemented(
        "ex::sampling_distribution — write it in lessons/exercises/10_decoding.cpp");
}

std::vector<tfm::BeamCandidate> beam_step(const std::vector<double>& beam_log_probs,
                                          const arma::mat& log_probs, arma::uword width) {
    throw NotImplemented("ex::beam_step — write it in lessons/exercises/10_decoding.cpp");
}

arma::mat kv_cache_step(const arma::mat& x_new, const arma::mat& memory, arma::mat& k_cache,
                        arma::mat& v_cache, const tfm::MultiHeadAttention& self_attn,
                        const tfm::MultiHeadAttention& cross_attn) {
    throw NotImplemented("ex::kv_cache_step — write it in lessons/exercises/10_decoding.cpp");
}

}  // namespace ex
