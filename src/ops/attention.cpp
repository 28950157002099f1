#include "ops/attention.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/shape.hpp"
#include "ops/softmax.hpp"

#include <cmath>
#include <string>

namespace tfm {

AttentionResult scaled_dot_product_attention(const arma::mat& q, const arma::mat& k,
                                             const arma::mat& v, const Mask& mask,
                                             const arma::mat& bias) {
    AttentionResult r;
    scaled_dot_product_attention_into(q, k, v, mask, r, bias);
    return r;
}

void scaled_dot_product_attention_into(const arma::mat& q, const arma::mat& k, const arma::mat& v,
                                       const Mask& mask, AttentionResult& r,
                                       const arma::mat& bias) {
    require(q.n_cols == k.n_cols, [&] {
        return tr("attention: Q is {1} but K is {2} (they need the same width d_k)",
                  shape_string(q), shape_string(k));
    });
    require(k.n_rows == v.n_rows, [&] {
        return tr("attention: K is {1} but V is {2} (they need one row per key)", shape_string(k),
                  shape_string(v));
    });
    require(mask.is_empty() || (mask.n_rows == q.n_rows && mask.n_cols == k.n_rows), [&] {
        return tr("attention: the mask is {1} but there are {2} queries and {3} keys",
                  shape_string(mask), q.n_rows, k.n_rows);
    });
    require(bias.is_empty() || (bias.n_rows == q.n_rows && bias.n_cols == k.n_rows), [&] {
        return tr("attention: the bias is {1}, expected {2}", shape_string(bias),
                  shape_string(q.n_rows, k.n_rows));
    });
    const double d_k = static_cast<double>(q.n_cols);

    r.scores = q * k.t();
    r.scaled = r.scores / std::sqrt(d_k);
    if (!bias.is_empty()) r.scaled += bias;
    // The mask has the scores' shape, so element e of one is element e of the other.
    for (arma::uword e = 0; e < mask.n_elem; ++e)
        if (mask.at(e) != 0) r.scaled.at(e) = -arma::datum::inf;
    // The blocked scores are −∞ now, so softmax gives them weight 0 without the mask.
    softmax_rows_into(r.scaled, r.weights);
    r.output = r.weights * v;
}

AttentionGrads scaled_dot_product_attention_backward(const arma::mat& q, const arma::mat& k,
                                                     const arma::mat& v, const arma::mat& weights,
                                                     const arma::mat& doutput) {
    AttentionGrads g;
    scaled_dot_product_attention_backward_into(q, k, v, weights, doutput, g);
    return g;
}

void scaled_dot_product_attention_backward_into(const arma::mat& q, const arma::mat& k,
                                                const arma::mat& v, const arma::mat& weights,
                                                const arma::mat& doutput, AttentionGrads& g) {
    require(doutput.n_rows == weights.n_rows && doutput.n_cols == v.n_cols, [&] {
        return tr("attention backward: doutput is {1}, expected {2}", shape_string(doutput),
                  shape_string(weights.n_rows, v.n_cols));
    });
    const double d_k = static_cast<double>(q.n_cols);

    g.dv = weights.t() * doutput;                        // output = weights · V
    g.dscores = doutput * v.t();                         // dL/dweights [n_q × n_k] …
    softmax_rows_backward_in_place(weights, g.dscores);  // … dL/dscaled, 0 where blocked
    g.dscores /= std::sqrt(d_k);                         // … dL/dscores
    g.dq = g.dscores * k;                                // scores = Q · Kᵀ
    g.dk = g.dscores.t() * q;
}

}  // namespace tfm
