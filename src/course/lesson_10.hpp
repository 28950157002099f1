// Lesson 10's own work around the decoders (src/decode/): greedy against beam search on
// the same inputs, what 1,000 samples under each setting write, and the KV cache shown
// step by step and measured. The tables are rows of strings for Printer::table; the
// lesson keeps the narration around them.
#pragma once
#include "course/lesson_09.hpp"
#include "decode/search.hpp"
#include "io/table.hpp"

#include <armadillo>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tfm::course {

// ---- Readings of the inputs ------------------------------------------------------------

// "2021-03-04" when text is yyyy-mm-dd of a real calendar date; false otherwise.
bool is_iso_date(const std::string& text);

// The date a learner means: trained_date(text) when the text is a trained format, or, when
// it is one with its one-digit numbers written unpadded ("3/4/2021" for "03/04/2021"), the
// padded form's reading, with `unpadded` set. Empty when neither.
struct IntendedDate {
    TrainedDate date;
    bool unpadded = false;
};
std::optional<IntendedDate> intended_date(const std::string& text);

// The text of a hypothesis: its tokens before <eos>, as the task writes them.
std::string answer_text(const Vocab& vocab, const TokenIds& tokens);

// ---- 1. Greedy against beam search -----------------------------------------------------

struct DecoderComparison {
    std::string input;
    std::string expected;  // the intended reading ("" when there is none)
    Hypothesis greedy;
    BeamResult beam;
    // The intended reading scored by one full forward pass (ln P; 0 when there is none),
    // and, when the beam missed it, the first of the widths 2N, 4N, … 64 whose n-best
    // list holds it, with its rank there (0, 0: none did).
    double expected_log_prob = 0.0;
    arma::uword wider_beam = 0;
    std::size_t wider_rank = 0;
    // Rank (1-based) of the expected answer in the n-best list; 0 when it is not there.
    std::size_t expected_rank(const Vocab& vocab) const;
};
DecoderComparison compare_decoders(LessonModel& m, const std::string& input,
                                   const BeamOptions& beam, const DecodeOptions& options);

// "Lesson 09's decode_greedily writes the same 11 tokens (largest probability difference 0)."
// — lesson 09's greedy decoder, uncached, against greedy_search through the cache (always
// the cache, so that --no-cache does not change the sentence).
std::string lesson_09_sentence(LessonModel& m, const std::string& input,
                               const DecodeOptions& options);

// The n-best list as numbers [N × 2]: ln P and score of each hypothesis, best first.
arma::mat n_best_matrix(const BeamResult& beam);

constexpr std::size_t kAllPlaces = static_cast<std::size_t>(-1);

// rank | answer | ISO date? | intended? | ln P | P | score.
TextTable n_best_table(const Vocab& vocab, const DecoderComparison& c);
// step | beam 1 … beam N: what each step kept (prefix after <bos>, its ln P); "✓" marks a
// hypothesis that just wrote <eos> and left the beam. Only the beam's places first …
// first + count - 1 (a wide beam is printed in parts that fit the screen).
TextTable beam_steps_table(const Vocab& vocab, const BeamResult& beam, std::size_t first = 0,
                           std::size_t count = kAllPlaces);
// The most places a step ever kept: the beam width, or fewer at the first steps.
std::size_t beam_places(const BeamResult& beam);
// "Greedy wrote 2021-3-202 (P = 0.31, not an ISO date); the intended 2021-03-04 is …".
std::string comparison_sentence(const Vocab& vocab, const DecoderComparison& c);

// ---- 2. Sampling, as numbers -------------------------------------------------------------

struct SamplingSetting {
    std::string name;  // "T 0.5", "top-k 3", …
    SamplingOptions options;
};
// T 0 (greedy), top-k 1, T 0.5, T 1, T 2, top-k 3, top-p 0.9.
std::vector<SamplingSetting> default_sampling_settings();
// "T 0.7, top-k 5, top-p 0.9": the learner's own setting's name.
std::string setting_name(const SamplingOptions& options);

struct SamplingSummary {
    std::string setting;
    double step_entropy = 0.0;  // nats, after the filter, at the step given to summarise_samples
    arma::uword samples = 0, distinct = 0, iso = 0, expected = 0, greedy = 0;
    std::vector<std::pair<std::string, arma::uword>> most_frequent;  // answer, count; best first
    double first_entropy = 0.0;       // nats, of the first token's distribution after the filter
    arma::rowvec first_distribution;  // that distribution [1 × V]
};
SamplingSummary summarise_samples(LessonModel& m, const Encoded& encoded,
                                  const SamplingSetting& setting, arma::uword samples,
                                  std::uint64_t seed, const DecodeOptions& options,
                                  const std::string& expected, const Hypothesis& greedy,
                                  std::size_t uncertain_step);
// The step (0-based) of greedy's path where the model's own distribution (T 1) has the
// largest entropy: where sampling settings differ most.
std::size_t most_uncertain_step(LessonModel& m, const Encoded& encoded, const Hypothesis& greedy,
                                const DecodeOptions& options);
// setting | H(1st) | H(step) | distinct | ISO | intended | greedy | most frequent ×count.
TextTable sampling_table(const std::vector<SamplingSummary>& rows, std::size_t uncertain_step);
// answer | count | share | ISO date: every distinct answer of one setting, most frequent
// first ("…" marks an answer stopped by max_len before <eos>).
TextTable answer_counts_table(const SamplingSummary& summary);
// What the table shows, from its numbers: T 0 and top-k 1 against greedy, and how the
// entropy at the most uncertain step and the share of ISO dates move with the temperature.
std::string sampling_sentence(const std::vector<SamplingSummary>& rows, std::size_t uncertain_step);

// ---- 3. The KV cache -------------------------------------------------------------------

// step | token in | self-attention K, V per layer | cross-attention K, V | multiply-adds
// of the step with the cache and without: greedy decoding of `greedy` again through the
// cache, shapes read from the cache after each step.
TextTable cache_growth_table(Transformer& model, const Encoded& encoded, const Vocab& vocab,
                             const Hypothesis& greedy);

struct StepCostRow {
    arma::uword n;                        // prefix length: the n-th token is being produced
    std::uint64_t cached, uncached;       // multiply-adds per new token
    double cached_s = 0, uncached_s = 0;  // measured seconds per new token (0: not timed)
};
// A random model of `config`'s sizes, a random source of n_src tokens; each n: one step
// with the cache at length n − 1 (timed again and again by truncating it back), and one
// uncached pass over n tokens. timing false: counts only.
std::vector<StepCostRow> measure_step_costs(const ModelConfig& config,
                                            const std::vector<arma::uword>& lengths,
                                            arma::uword n_src, bool timing);
// n | multiply-adds with / without | ratio | µs per token with / without.
TextTable step_cost_table(const std::vector<StepCostRow>& rows, bool timing);

// The largest |cached − uncached| of every logit of greedy decoding `encoded`.
double cache_difference(Transformer& model, const Encoded& encoded, const DecodeOptions& options);
// "Cached and uncached logits differ by at most 2.2e-16 …", measured.
std::string cache_sentence(Transformer& model, const Encoded& encoded,
                           const DecodeOptions& options);
// How much the cost per token grew from the shortest length to the longest, cached and
// not, and what the times were measured on.
std::string cost_sentence(const std::vector<StepCostRow>& rows, bool timing);

// The picture of the same counts (--out, --html): log10 of the multiply-adds of the n-th
// new token for n = 1 … max_n, with the cache and without, for a source of n_src tokens.
std::vector<Series> step_cost_series(const ModelConfig& config, arma::uword n_src,
                                     arma::uword max_n);
PlotOptions step_cost_plot();

}  // namespace tfm::course
