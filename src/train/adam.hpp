// Adam (Kingma & Ba 2015) with the 2017 Transformer's settings β1 = 0.9, β2 = 0.98,
// ε = 1e-9, over a ParamList. For each parameter θ with gradient g, at step t = 1, 2, …
//   m = β1·m + (1 − β1)·g            v = β2·v + (1 − β2)·g²
//   m̂ = m / (1 − β1ᵗ)                v̂ = v / (1 − β2ᵗ)        (bias correction)
//   θ = θ − lr · m̂ / (√v̂ + ε)
// A parameter whose gradient has been zero since the start (an embedding row no batch
// looked up) has m = v = 0 and does not move (unless weight decay shrinks it, below).
// AdamW (Loshchilov & Hutter 2019): weight_decay λ > 0 also shrinks every matrix (not the
// vectors: biases and LayerNorm gains) by θ = θ − lr · λ · θ, apart from the gradient.
#pragma once
#include "core/params.hpp"

#include <armadillo>
#include <vector>

namespace tfm {

struct AdamOptions {
    double beta1 = 0.9;
    double beta2 = 0.98;
    double eps = 1e-9;
    double weight_decay = 0.0;  // λ, decoupled (AdamW); 0: plain Adam
};

class Adam {
public:
    explicit Adam(const ParamList& params, AdamOptions options = {});

    // One update of every parameter with learning rate lr, from the gradients as they are.
    void step(double lr);

    AdamOptions options;
    unsigned long long steps = 0;  // t, the number of steps taken
    ParamList params;
    std::vector<arma::mat> m, v;  // first and second moments, one per parameter
};

// Gradient clipping by global norm: when ‖g‖ = √(Σ over all parameters of Σ g²) exceeds
// max_norm, every gradient is scaled by max_norm / ‖g‖. Returns ‖g‖ before clipping.
double clip_grad_norm(const ParamList& params, double max_norm);

}  // namespace tfm
