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

// A batch of B key sequences of n_k keys stacked by rows (ops/sequence_rows.hpp):
// key_padding [B × n_k] marks sequence b's padded keys in row b; the attention mask of
// n_q queries per sequence is [B·n_q × n_k], row block b = padding_mask(n_q, row b).
// padding_rows gives the empty mask when no key is padding, and key_padding_mask maps
// an empty key_padding to an empty mask (nothing blocked).
Mask padding_rows(const std::vector<bool>& is_pad, arma::uword sequences);
Mask key_padding_mask(const Mask& key_padding, arma::uword n_q);
// For lessons: "none" | "causal" | "padding" (padding blocks the keys flagged in
// key_is_pad); anything else is InputError.
Mask make_mask(const std::string& kind, arma::uword n_q, arma::uword n_k,
               const std::vector<bool>& key_is_pad = {});

}  // namespace tfm
