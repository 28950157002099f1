// Element-wise activations for the feed-forward network, with their derivatives.
//   relu(x) = max(0, x)
//   gelu(x) = x · Φ(x) = x · ½ (1 + erf(x / √2))   (exact, as PyTorch's default)
#pragma once
#include <armadillo>
#include <string>

namespace tfm {

enum class Activation { relu, gelu };

Activation parse_activation(const std::string& name);  // "relu" | "gelu", else InputError
std::string to_string(Activation a);

arma::mat activate(Activation a, const arma::mat& x);
// dL/dx given the pre-activation x and dL/dy.
arma::mat activate_backward(Activation a, const arma::mat& x, const arma::mat& dy);

}  // namespace tfm
