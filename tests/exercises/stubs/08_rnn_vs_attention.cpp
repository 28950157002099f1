// Exercises for lesson 08 (RNN against attention). Replace each `throw` with your code,
// then run
//     make exercises
// Hints: docs/exercises.md#08-rnn-vs-attention. Declarations and shapes: exercises.hpp.
#include "exercises.hpp"

// The untouched exercises do not use their parameters yet; keep the build quiet.
#pragma GCC diagnostic ignored "-Wunused-parameter"

namespace ex {

arma::mat rescale_to_spectral_radius(const arma::mat& a, double rho) {
    throw NotImplemented(
        "ex::rescale_to_spectral_radius — write it in lessons/exercises/08_rnn_vs_attention.cpp");
}

tfm::RnnStepGrads rnn_step_backward(const arma::mat& w_hh, const arma::mat& w_xh,
                                    tfm::RnnActivation act, const arma::rowvec& h_prev,
                                    const arma::rowvec& x_t, const arma::rowvec& h_t,
                                    const arma::rowvec& dh) {
    throw NotImplemented(
        "ex::rnn_step_backward — write it in lessons/exercises/08_rnn_vs_attention.cpp");
}

}  // namespace ex
