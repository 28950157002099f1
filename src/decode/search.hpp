// The decoders: greedy, sampling and beam search, all on Prefixes (with or without the KV
// cache), for one source sentence of a trained encoder–decoder.
//
//   greedy:   y_t = argmax_v p(v | source, y_<t)                  until <eos> or max_len
//   sampling: y_t ~ sampling_distribution(logits_t)               (decode/sampling.hpp)
//   beam:     keep the N most likely prefixes by total log-probability ln P(y_≤t | source)
//
// Beam search, as this file runs it (the "shrinking beam" of Stanford's CS224n NMT code):
//   alive = {<bos>}, finished = {}
//   each step: expand every alive prefix by every token, total = ln P(prefix) + ln p(token);
//              keep the best N − |finished| candidates by total (beam_step); those ending in
//              <eos> are finished, the others stay alive
//   stop when N hypotheses are finished or after max_len tokens (the alive ones are then
//   added, unfinished).
// All alive prefixes have the same length, so within a step the total ranks them as the
// length-normalised score would. The n-best list is ranked by the GNMT score
//   score = ln P(y | source) / lp(|y|),   lp(|y|) = ((5 + |y|) / 6)^α   (Wu et al. 2016)
// with |y| counting <eos>; α = 0 ranks by ln P itself. With N = 1 this is greedy decoding.
#pragma once
#include "decode/prefixes.hpp"
#include "decode/sampling.hpp"
#include "model/transformer.hpp"
#include "text/tokenizer.hpp"
#include "train/cross_entropy.hpp"  // log_softmax_rows

#include <armadillo>
#include <cstdint>
#include <vector>

namespace tfm {

struct DecodeOptions {
    arma::uword bos = Vocab::bos, eos = Vocab::eos;
    arma::uword max_len = 16;  // new tokens at most, <eos> included
    bool use_cache = true;
};

struct Hypothesis {
    TokenIds tokens;                // without <bos>; ends with <eos> when finished
    std::vector<double> log_probs;  // ln p(token_i | source, tokens before i), the model's own
    double log_prob = 0.0;          // their sum: ln P(tokens | source)
    double score = 0.0;             // beam search: log_prob / lp(|tokens|); otherwise log_prob
    bool finished = false;          // ended with <eos> (not stopped by max_len)
};

// Every step's logits row goes to `logits` when given ([1 × V] each).
Hypothesis greedy_search(Transformer& model, const Encoded& encoded, const DecodeOptions& options,
                         std::vector<arma::mat>* logits = nullptr);

// `count` answers drawn side by side (one batch). Answer i draws its uniforms from
// NamedGenerator(seed, "sample", i, 0), so it is the same alone or among others.
// log_probs are the model's own (T = 1, unfiltered), so answers compare across settings.
std::vector<Hypothesis> sample_answers(Transformer& model, const Encoded& encoded,
                                       arma::uword count, const SamplingOptions& sampling,
                                       std::uint64_t seed, const DecodeOptions& options);

struct BeamCandidate {
    arma::uword beam;   // which alive prefix it extends
    arma::uword token;  // the token it appends
    double total;       // beam_log_probs[beam] + log_probs(beam, token)
};
// One step of beam search: every (beam, token), total = beam_log_probs[b] + log_probs(b, v),
// the `width` best, best first (ties: lower beam, then lower token). log_probs [beams × V].
std::vector<BeamCandidate> beam_step(const std::vector<double>& beam_log_probs,
                                     const arma::mat& log_probs, arma::uword width);

double length_penalty(arma::uword length, double alpha);  // ((5 + length) / 6)^α

struct BeamOptions {
    arma::uword beam = 4;  // N ≥ 1
    double alpha = 0.6;    // GNMT's length-normalisation exponent (≥ 0)
};

// What each step kept, for the lesson's table: the prefix after <bos>, its total, and
// whether it just finished.
struct BeamNode {
    TokenIds tokens;
    double log_prob;
    bool finished;
    arma::uword parent;  // index into the previous step's alive prefixes
};

struct BeamResult {
    std::vector<Hypothesis> n_best;            // best score first
    std::vector<std::vector<BeamNode>> steps;  // steps[t]: what step t + 1 kept
};
// logits (when given) receives every step's logits of the alive prefixes [alive × V].
BeamResult beam_search(Transformer& model, const Encoded& encoded, const BeamOptions& beam,
                       const DecodeOptions& options, std::vector<arma::mat>* logits = nullptr);

// ln p(token_i | source, tokens before i) for every token, by one full forward pass over
// <bos> + tokens (no cache, no search): what a hypothesis' log_probs must be.
std::vector<double> rescore(Transformer& model, const TokenIds& src, const TokenIds& tokens,
                            arma::uword bos = Vocab::bos);

}  // namespace tfm
