// Scaled dot-product attention (one head):
//   scores  = Q · Kᵀ                     [n_q × n_k]
//   scaled  = scores / √d_k (+ bias), blocked → −∞
//   weights = softmax_rows(scaled)        rows sum to 1 (all-blocked rows: 0)
//   output  = weights · V                 [n_q × d_v]
// The optional bias [n_q × n_k] is a constant added to the scaled scores (ALiBi's distance
// penalty, ops/alibi.hpp); empty: none. Being constant, it changes nothing in backward.
#pragma once
#include "ops/mask.hpp"

#include <armadillo>

namespace tfm {

struct AttentionResult {
    arma::mat scores;   // Q·Kᵀ, before scaling and masking
    arma::mat scaled;   // scores / √d_k (+ bias) with −∞ where blocked
    arma::mat weights;  // softmax_rows(scaled)
    arma::mat output;   // weights · V
};

AttentionResult scaled_dot_product_attention(const arma::mat& q, const arma::mat& k,
                                             const arma::mat& v, const Mask& mask = {},
                                             const arma::mat& bias = {});
// The same, written into `out` (whose matrices keep their memory when the shapes repeat,
// as they do for every head of every layer in a training step).
void scaled_dot_product_attention_into(const arma::mat& q, const arma::mat& k, const arma::mat& v,
                                       const Mask& mask, AttentionResult& out,
                                       const arma::mat& bias = {});

struct AttentionGrads {
    arma::mat dq, dk, dv;
    arma::mat dscores;  // dL/dscores [n_q × n_k] (0 where blocked), on the way to dq and dk
};
// Given the forward's inputs and weights and dL/doutput.
AttentionGrads scaled_dot_product_attention_backward(const arma::mat& q, const arma::mat& k,
                                                     const arma::mat& v, const arma::mat& weights,
                                                     const arma::mat& doutput);
// The same, written into `out` (its matrices keep their memory when the shapes repeat).
void scaled_dot_product_attention_backward_into(const arma::mat& q, const arma::mat& k,
                                                const arma::mat& v, const arma::mat& weights,
                                                const arma::mat& doutput, AttentionGrads& out);

}  // namespace tfm
