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

// y = act(x). With `cdf` given, GELU also keeps Φ(x) there (ReLU leaves it empty), for
// the backward pass to reuse instead of computing erf again: the same numbers, bit for bit.
arma::mat activate(Activation a, const arma::mat& x, arma::mat* cdf = nullptr);
// dL/dx given the pre-activation x and dL/dy; `cdf`: what activate() kept for this x, or
// nullptr (or empty) to compute Φ(x) here.
arma::mat activate_backward(Activation a, const arma::mat& x, const arma::mat& dy,
                            const arma::mat* cdf = nullptr);

}  // namespace tfm
