// Reference solutions for lesson 08: the course's own code (src/rnn/spectral.hpp,
// src/rnn/vanilla_rnn.hpp).
#include "exercises.hpp"

#include "rnn/spectral.hpp"
#include "rnn/vanilla_rnn.hpp"

namespace ex {

arma::mat rescale_to_spectral_radius(const arma::mat& a, double rho) {
    return tfm::rescale_to_spectral_radius(a, rho);
}

tfm::RnnStepGrads rnn_step_backward(const arma::mat& w_hh, const arma::mat& w_xh,
                                    tfm::RnnActivation act, const arma::rowvec& h_prev,
                                    const arma::rowvec& x_t, const arma::rowvec& h_t,
                                    const arma::rowvec& dh) {
    return tfm::rnn_step_backward(w_hh, w_xh, act, h_prev, x_t, h_t, dh);
}

}  // namespace ex
