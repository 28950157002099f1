// Writing with a language model (lesson 11): the prompt goes through the model once,
// then each new token is drawn from the sampling distribution of the last position
// (decode/sampling.hpp: temperature, top-k, top-p) and fed back, through the KV cache
// (or, use_cache false, by recomputing the whole prefix: the same tokens).
// Stops at <eos>, after max_new tokens, or when the model's context is full.
#pragma once
#include "decode/sampling.hpp"
#include "model/gpt.hpp"
#include "text/poems.hpp"

#include <cstdint>

namespace tfm {

// The prompt's ids followed by the new ones (without the <eos> that ended them).
// The draws come from a generator seeded with `seed`: same seed, same text.
TokenIds generate(Gpt& model, const TokenIds& prompt, const SamplingOptions& options,
                  arma::uword max_new, std::uint64_t seed, bool use_cache = true);

// The same loop with the bigram model's p(· | previous) in place of the Transformer's
// softmax: what counting pairs writes.
TokenIds generate_bigram(const CharNgrams& ngrams, const TokenIds& prompt,
                         const SamplingOptions& options, arma::uword max_new, std::uint64_t seed);

}  // namespace tfm
