#include "decode/search.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/random.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace tfm {

namespace {

void add_token(Hypothesis& h, arma::uword token, double log_prob, arma::uword eos) {
    h.tokens.push_back(token);
    h.log_probs.push_back(log_prob);
    h.log_prob += log_prob;
    h.score = h.log_prob;
    h.finished = token == eos;
}

}  // namespace

Hypothesis greedy_search(Transformer& model, const Encoded& encoded, const DecodeOptions& options,
                         std::vector<arma::mat>* logits) {
    Prefixes prefixes(model, encoded, 1, {0}, options.bos, options.use_cache, options.max_len);
    Hypothesis h;
    for (arma::uword t = 0; t < options.max_len && !h.finished; ++t) {
        const arma::mat step = prefixes.next_logits();
        if (logits) logits->push_back(step);
        const arma::uword token = step.row(0).index_max();
        add_token(h, token, log_softmax_rows(step)(0, token), options.eos);
        prefixes.append({token});
    }
    return h;
}

std::vector<Hypothesis> sample_answers(Transformer& model, const Encoded& encoded,
                                       arma::uword count, const SamplingOptions& sampling,
                                       std::uint64_t seed, const DecodeOptions& options) {
    sampling.validate(model.config.tgt_vocab_size);
    std::vector<Hypothesis> answers(count);
    std::vector<NamedGenerator> rngs;
    for (arma::uword i = 0; i < count; ++i) rngs.emplace_back(seed, "sample", i, 0);
    // alive[b]: which answer prefix b is; a finished answer leaves the batch.
    std::vector<arma::uword> alive(count);
    std::iota(alive.begin(), alive.end(), 0);
    Prefixes prefixes(model, encoded, 1, std::vector<arma::uword>(count, 0), options.bos,
                      options.use_cache, options.max_len);
    for (arma::uword t = 0; t < options.max_len && !alive.empty(); ++t) {
        const arma::mat logits = prefixes.next_logits();
        const arma::mat log_probs = log_softmax_rows(logits);
        TokenIds chosen(alive.size());
        std::vector<arma::uword> keep, still_alive;
        for (std::size_t b = 0; b < alive.size(); ++b) {
            const arma::uword i = alive[b];
            const arma::rowvec p = sampling_distribution(logits.row(b), sampling);
            chosen[b] = draw_token(p, rngs[i].uniform01());
            add_token(answers[i], chosen[b], log_probs(b, chosen[b]), options.eos);
            if (!answers[i].finished) {
                keep.push_back(b);
                still_alive.push_back(i);
            }
        }
        prefixes.append(chosen);
        if (keep.size() < alive.size() && !keep.empty()) prefixes.reorder(keep);
        alive = std::move(still_alive);
    }
    return answers;
}

std::vector<BeamCandidate> beam_step(const std::vector<double>& beam_log_probs,
                                     const arma::mat& log_probs, arma::uword width) {
    require(log_probs.n_rows == beam_log_probs.size(),
            "beam_step: " + std::to_string(beam_log_probs.size()) + " beams but " +
                std::to_string(log_probs.n_rows) + " rows of log-probabilities");
    std::vector<BeamCandidate> all;
    all.reserve(log_probs.n_elem);
    for (arma::uword b = 0; b < log_probs.n_rows; ++b)
        for (arma::uword v = 0; v < log_probs.n_cols; ++v)
            all.push_back({b, v, beam_log_probs[b] + log_probs(b, v)});
    // Candidates are listed by beam, then token, so a stable sort breaks ties that way.
    const std::size_t keep = std::min<std::size_t>(width, all.size());
    std::stable_sort(all.begin(), all.end(), [](const BeamCandidate& a, const BeamCandidate& b) {
        return a.total > b.total;
    });
    all.resize(keep);
    return all;
}

double length_penalty(arma::uword length, double alpha) {
    return std::pow((5.0 + static_cast<double>(length)) / 6.0, alpha);
}

BeamResult beam_search(Transformer& model, const Encoded& encoded, const BeamOptions& beam,
                       const DecodeOptions& options, std::vector<arma::mat>* logits) {
    require(beam.beam >= 1, tr("--beam must be at least 1, got {1}", beam.beam));
    require(
        beam.alpha >= 0.0 && std::isfinite(beam.alpha),
        tr("the length-normalisation exponent α must be ≥ 0, got {1}", std::to_string(beam.alpha)));
    BeamResult result;
    std::vector<Hypothesis> alive(1);
    Prefixes prefixes(model, encoded, 1, {0}, options.bos, options.use_cache, options.max_len);
    for (arma::uword t = 0; t < options.max_len && !alive.empty(); ++t) {
        const arma::mat step = prefixes.next_logits();
        if (logits) logits->push_back(step);
        std::vector<double> totals;
        for (const Hypothesis& h : alive) totals.push_back(h.log_prob);
        const arma::mat log_probs = log_softmax_rows(step);
        const arma::uword width = beam.beam - result.n_best.size();
        std::vector<Hypothesis> next;
        std::vector<arma::uword> parents;
        TokenIds tokens;
        result.steps.emplace_back();
        for (const BeamCandidate& c : beam_step(totals, log_probs, width)) {
            Hypothesis h = alive[c.beam];
            add_token(h, c.token, log_probs(c.beam, c.token), options.eos);
            result.steps.back().push_back({h.tokens, h.log_prob, h.finished, c.beam});
            if (h.finished) {
                result.n_best.push_back(std::move(h));
            } else {
                next.push_back(std::move(h));
                parents.push_back(c.beam);
                tokens.push_back(c.token);
            }
        }
        alive = std::move(next);
        if (alive.empty()) break;
        prefixes.reorder(parents);
        prefixes.append(tokens);
    }
    for (Hypothesis& h : alive) result.n_best.push_back(std::move(h));  // stopped by max_len
    for (Hypothesis& h : result.n_best)
        h.score = h.log_prob / length_penalty(h.tokens.size(), beam.alpha);
    std::stable_sort(result.n_best.begin(), result.n_best.end(),
                     [](const Hypothesis& a, const Hypothesis& b) { return a.score > b.score; });
    return result;
}

std::vector<double> rescore(Transformer& model, const TokenIds& src, const TokenIds& tokens,
                            arma::uword bos) {
    TokenIds tgt_in{bos};
    if (!tokens.empty()) tgt_in.insert(tgt_in.end(), tokens.begin(), tokens.end() - 1);
    const arma::mat log_probs = log_softmax_rows(model.forward(src, tgt_in));
    std::vector<double> out;
    for (std::size_t i = 0; i < tokens.size(); ++i) out.push_back(log_probs(i, tokens[i]));
    return out;
}

}  // namespace tfm
