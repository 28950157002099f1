// What a sampler draws the next token from: the logits of one position → temperature →
// softmax → top-k → top-p, as a distribution over the vocabulary [1 × V].
//
//   p_i = softmax(logits / T)_i          T > 0;  T = 0: all mass on the arg-max (greedy)
//   top-k: keep the k most likely tokens, zero the rest, renormalise (k = 0: keep all)
//   top-p: keep the smallest set of most likely tokens whose mass is ≥ p, renormalise
//          (p = 1: keep all)
// Ties: tokens are ranked by probability, and equal probabilities by the lower id, so a
// filter that must cut inside a group of equal probabilities keeps the lower ids. Top-p
// compares the running mass with p up to a relative 1e-12, so that a set whose mass is p
// in exact arithmetic is not missed by one rounding. Top-p applies to what top-k kept
// (renormalised), as Hugging Face's samplers do.
#pragma once
#include <armadillo>
#include <cstdint>
#include <vector>

namespace tfm {

struct SamplingOptions {
    double temperature = 1.0;  // ≥ 0
    arma::uword top_k = 0;     // 0: off
    double top_p = 1.0;        // (0, 1]
    // InputError naming the option (--temperature, --top-k, --top-p) when out of range;
    // vocab_size bounds top_k.
    void validate(arma::uword vocab_size) const;
};

// Token ids from most to least likely, equal probabilities by the lower id.
std::vector<arma::uword> rank_tokens(const arma::rowvec& probs);

arma::rowvec temperature_softmax(const arma::rowvec& logits, double temperature);
arma::rowvec top_k_filter(const arma::rowvec& probs, arma::uword k);
arma::rowvec top_p_filter(const arma::rowvec& probs, double p);
// The three in order: the distribution a sample is drawn from.
arma::rowvec sampling_distribution(const arma::rowvec& logits, const SamplingOptions& options);

// Inverse-CDF draw: the first token (in id order) whose running sum of probs exceeds
// u · Σ probs, for u uniform on [0, 1). A token of probability 0 is never drawn.
arma::uword draw_token(const arma::rowvec& probs, double u);

// −Σ p ln p in nats (0 · ln 0 = 0).
double entropy(const arma::rowvec& probs);

}  // namespace tfm
