// What lesson 09 shows about a full model: the most likely tokens, where the decoder
// looked in the source, and which embedding rows a step changed.
#pragma once
#include "model/transformer.hpp"
#include "text/tokenizer.hpp"

#include <armadillo>
#include <string>
#include <vector>

namespace tfm {

struct TokenProbability {
    arma::uword id;
    double probability;
};
// The k most likely tokens of one row of probabilities, most likely first (ties: lower id).
std::vector<TokenProbability> top_k(const arma::rowvec& probabilities, arma::uword k);

// The cross-attention weights of decoder layer `layer` from the last forward pass,
// averaged over heads: [n_tgt × n_src], row i = where target position i looked.
arma::mat cross_attention_map(const Transformer& model, std::size_t layer);

// The rows of `after` that differ from `before` (same shapes) in any element.
std::vector<arma::uword> changed_rows(const arma::mat& before, const arma::mat& after);

// A token as a printed label: the space as "␣", specials as they are ("<eos>").
std::string token_label(const Vocab& vocab, arma::uword id);

}  // namespace tfm
