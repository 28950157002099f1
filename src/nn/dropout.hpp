// Dropout (Srivastava et al. 2014), a regulariser for training only. Each entry is kept
// with probability 1 − p and scaled by 1/(1 − p), so the expected output is the input:
//   y = x ⊙ m / (1 − p)          m_ij ~ Bernoulli(1 − p), drawn afresh at every forward
//   dL/dx = dL/dy ⊙ m / (1 − p)  (the same m)
// Off — the identity, bit for bit — unless a rate p > 0 and a generator are set. So
// inference, the lessons' printed passes and every check against PyTorch run without it;
// a training run switches it on (Gpt::set_dropout) and off again before it evaluates.
#pragma once
#include <armadillo>
#include <random>

namespace tfm {

class Dropout {
public:
    // rate in [0, 1); rng null or rate 0: off. The generator is the caller's, so one seed
    // gives one run.
    void set(double rate, std::mt19937_64* rng);
    bool on() const { return rate_ > 0 && rng_ != nullptr; }

    arma::mat forward(const arma::mat& x);
    arma::mat backward(const arma::mat& dy) const;  // the last forward's mask

private:
    double rate_ = 0;
    std::mt19937_64* rng_ = nullptr;
    arma::mat scale_;  // m / (1 − p) of the last forward; empty when it was off
};

}  // namespace tfm
