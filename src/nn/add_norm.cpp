#include "nn/add_norm.hpp"

namespace tfm {

arma::mat AddNorm::forward(LayerNorm& norm, const arma::mat& x, const Sublayer& f) const {
    if (norm_first) return x + f(norm.forward(x));
    return norm.forward(x + f(x));
}

// pre-LN:  y = x + f(LN(x))  →  dx = dy + LN'(f'(dy))
// post-LN: y = LN(s), s = x + f(x)  →  ds = LN'(dy), dx = ds + f'(ds)
arma::mat AddNorm::backward(LayerNorm& norm, const arma::mat& dy,
                            const Sublayer& f_backward) const {
    if (norm_first) return dy + norm.backward(f_backward(dy));
    const arma::mat dsum = norm.backward(dy);
    return dsum + f_backward(dsum);
}

}  // namespace tfm
