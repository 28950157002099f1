// A mini-batch of examples, padded to common lengths with <pad> (id 0):
//   src[b]     the source ids, padded to the longest source          (masked as keys)
//   tgt_in[b]  <bos> + target, padded to the longest target + 1       (decoder input)
//   tgt_out[b] target + <eos>, padded the same way                    (what to predict)
// tgt_in is tgt_out shifted right by one: position i reads tokens < i+1 and predicts
// tgt_out[i] ("teacher forcing"). Padded positions have target <pad>, which the loss
// ignores, and the masks hide padded keys, so padding changes no loss and no gradient.
#pragma once
#include "nn/embedding.hpp"
#include "train/tasks.hpp"

#include <vector>

namespace tfm {

struct Batch {
    std::vector<TokenIds> src, tgt_in, tgt_out;
    arma::uword src_tokens = 0;  // non-pad source tokens
    arma::uword tgt_tokens = 0;  // non-pad target tokens (with <eos>): the loss's count
    std::size_t size() const { return src.size(); }
};

Batch make_batch(const std::vector<Example>& examples);

}  // namespace tfm
