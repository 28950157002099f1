// Attention masks: an n_q × n_k matrix of 0/1, where 1 means "query i may NOT look at
// key j" (blocked; the score becomes −∞ before softmax). An empty mask blocks nothing.
#pragma once
#include <armadillo>
#include <string>
#include <vector>

namespace tfm {

using Mask = arma::umat;

// Blocks j > i: token i sees itself and what came before.
Mask causal_mask(arma::uword n);
// Blocks every key j with key_is_pad[j] (for every query row).
Mask padding_mask(arma::uword n_q, const std::vector<bool>& key_is_pad);
// Blocked in either.
Mask combine_masks(const Mask& a, const Mask& b);
// For lessons: "none" | "causal" | "padding" (padding blocks the keys flagged in
// key_is_pad); anything else is InputError.
Mask make_mask(const std::string& kind, arma::uword n_q, arma::uword n_k,
               const std::vector<bool>& key_is_pad = {});

}  // namespace tfm
