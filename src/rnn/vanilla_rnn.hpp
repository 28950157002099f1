// A vanilla (Elman) recurrent network, the model the Transformer replaced (lesson 08).
// One row per token, as everywhere in the course:
//   a_t = h_{t−1} · w_hhᵀ + x_t · w_xhᵀ + bias        pre-activation   [1 × d_hidden]
//   h_t = act(a_t),  act = tanh (default) or linear    hidden state     [1 × d_hidden]
//   x [T × d_in] → H [T × d_hidden] (row t is h_t), h_{−1} = h0 (zeros unless given)
// Shapes: w_hh [d_hidden × d_hidden], w_xh [d_hidden × d_in], bias [1 × d_hidden].
//
// Backpropagation through time (BPTT) walks the steps backwards. With dh_t the total
// gradient reaching h_t (from the loss at step t and from step t+1):
//   da_t     = dh_t ⊙ act′(a_t)          tanh′ = 1 − h_t²,  linear′ = 1
//   w_hh_grad += da_tᵀ · h_{t−1},  w_xh_grad += da_tᵀ · x_t,  bias_grad += da_t
//   dx_t     = da_t · w_xh
//   dh_{t−1} += da_t · w_hh              (the only path to the past: one Jacobian per step)
// so ∂h_t/∂h_{t−1} = diag(act′(a_t)) · w_hh, and a gradient k steps back has been
// multiplied by k of these Jacobians — the reason w_hh's spectral radius decides whether
// it vanishes (ρ < 1) or explodes (ρ > 1).
#pragma once
#include "core/params.hpp"

#include <armadillo>
#include <string>

namespace tfm {

enum class RnnActivation { tanh, linear };

// "tanh" | "linear"; anything else is InputError. (Not tfm::Activation, which is the
// FFN's relu | gelu.)
RnnActivation parse_rnn_activation(const std::string& name);
std::string to_string(RnnActivation a);

// One forward step: h_t = act(h_prev · w_hhᵀ + x_t · w_xhᵀ + bias).
// h_prev [1 × d_hidden], x_t [1 × d_in]; returns h_t [1 × d_hidden].
arma::rowvec rnn_step(const arma::mat& w_hh, const arma::mat& w_xh, const arma::mat& bias,
                      RnnActivation act, const arma::rowvec& h_prev, const arma::rowvec& x_t);

// Gradients of one step, given what its forward saw and dh = dL/dh_t (everything that
// reaches h_t: the loss at t plus what came back from step t+1).
struct RnnStepGrads {
    arma::rowvec dh_prev;  // dL/dh_{t−1}          [1 × d_hidden]
    arma::rowvec dx;       // dL/dx_t              [1 × d_in]
    arma::mat dw_hh;       // this step's share    [d_hidden × d_hidden]
    arma::mat dw_xh;       //                      [d_hidden × d_in]
    arma::rowvec dbias;    //                      [1 × d_hidden]
};
// One BPTT step. h_t is the step's output (tanh′ is computed from it as 1 − h_t²).
RnnStepGrads rnn_step_backward(const arma::mat& w_hh, const arma::mat& w_xh, RnnActivation act,
                               const arma::rowvec& h_prev, const arma::rowvec& x_t,
                               const arma::rowvec& h_t, const arma::rowvec& dh);

class VanillaRnn {
public:
    // Draws w_hh, w_xh and bias from U(−1/√d_hidden, 1/√d_hidden), as PyTorch's nn.RNN
    // does. Lesson 08 then rescales w_hh to a chosen spectral radius (rnn/spectral.hpp).
    VanillaRnn(arma::uword d_in, arma::uword d_hidden,
               RnnActivation activation = RnnActivation::tanh);

    // x [T × d_in] → H [T × d_hidden]; h0 [1 × d_hidden] or empty for zeros.
    // Caches x_, the pre-activations a_ and the states h_ (including h0) for backward.
    arma::mat forward(const arma::mat& x, const arma::rowvec& h0 = arma::rowvec());

    // dH = dL/dH [T × d_hidden] (a loss on the last step only: every row zero but the
    // last). Adds into the parameter gradients, stores dL/dh0 in dh0_, returns dL/dx.
    arma::mat backward(const arma::mat& dH);

    // ∂h_t/∂h_{t−1} = diag(act′(a_t)) · w_hh, for step t of the last forward (column
    // convention: dh_{t−1} = dh_t · J_t when gradients are rows).
    arma::mat step_jacobian(arma::uword t) const;

    void zero_grad();
    void params(const std::string& prefix, ParamList& out);  // prefix+"w_hh", "w_xh", "bias"
    static void shapes(const std::string& prefix, arma::uword d_in, arma::uword d_hidden,
                       ShapeList& out);

    arma::uword d_in, d_hidden;
    RnnActivation activation;
    arma::mat w_hh;  // [d_hidden × d_hidden]
    arma::mat w_xh;  // [d_hidden × d_in]
    arma::mat bias;  // [1 × d_hidden]
    arma::mat w_hh_grad, w_xh_grad, bias_grad;

    // Cached by forward.
    arma::mat x_;       // [T × d_in]
    arma::mat a_;       // pre-activations [T × d_hidden]
    arma::mat h_;       // [T + 1 × d_hidden]: row 0 is h0, row t + 1 is h_t
    arma::rowvec dh0_;  // dL/dh0, set by backward
};

}  // namespace tfm
