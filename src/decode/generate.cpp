#include "decode/generate.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"

#include <cmath>
#include <random>

namespace tfm {
namespace {

// The sampling distribution of the bigram's probabilities: log, then the usual steps,
// over the characters and <eos> (the reserved tokens, which smoothing gave a share, are
// never written).
arma::rowvec distribution_of(arma::rowvec probs, const SamplingOptions& options) {
    for (arma::uword id : {Vocab::pad, Vocab::unk, Vocab::bos, mask_id}) probs(id) = 0.0;
    return sampling_distribution(arma::log(probs), options);
}

}  // namespace

TokenIds generate(Gpt& model, const TokenIds& prompt, const SamplingOptions& options,
                  arma::uword max_new, std::uint64_t seed, bool use_cache) {
    require(!prompt.empty(), "generate: an empty prompt");
    options.validate(model.config.src_vocab_size);
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    const arma::uword context = model.config.max_positions;
    require(prompt.size() <= context,
            tr("the prompt has {1} tokens, more than the model's {2} positions", prompt.size(),
               context));
    TokenIds ids = prompt;
    DecoderCache cache = model.start_cache(1, context);
    arma::rowvec logits;
    if (use_cache)
        for (arma::uword id : prompt) logits = model.forward_step({id}, cache);
    for (arma::uword i = 0; i < max_new; ++i) {
        if (!use_cache) logits = model.forward(ids).tail_rows(1);
        const arma::uword next = draw_token(sampling_distribution(logits, options), uniform(rng));
        if (next == Vocab::eos) break;
        ids.push_back(next);
        if (ids.size() >= context) break;
        if (use_cache) logits = model.forward_step({next}, cache);
    }
    return ids;
}

TokenIds generate_bigram(const CharNgrams& ngrams, const TokenIds& prompt,
                         const SamplingOptions& options, arma::uword max_new, std::uint64_t seed) {
    require(!prompt.empty(), "generate: an empty prompt");
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    TokenIds ids = prompt;
    for (arma::uword i = 0; i < max_new; ++i) {
        const arma::uword next =
            draw_token(distribution_of(ngrams.bigram_row(ids.back()), options), uniform(rng));
        if (next == Vocab::eos) break;
        ids.push_back(next);
    }
    return ids;
}

}  // namespace tfm
