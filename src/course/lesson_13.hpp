// Lesson 13's own pieces: the reverse task on digit strings, the small encoder that
// learns it with each of the five position schemes (nn/positions.hpp), its training,
// its checkpoints, and the measurements and tables the lesson prints.
//
// The task: read <bos> d_1 … d_n <eos> and write, at the row of d_t, the digit d_{n+1−t}
// (the string reversed). Every row needs to know where it stands and where the string
// ends: without positions the encoder cannot even tell d_1 from d_n. Trained on lengths
// 1–12, tested on held-out strings of lengths 1–12 and on lengths 13–24 never seen.
#pragma once
#include "io/table.hpp"
#include "nn/embedding.hpp"
#include "nn/encoder.hpp"
#include "nn/linear.hpp"
#include "nn/positions.hpp"
#include "train/cross_entropy.hpp"
#include "train/dates.hpp"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace tfm::course {

// Ids: the digits 0–9 are themselves; <bos> 10, <eos> 11 (whose rows have no target).
constexpr arma::uword kBos = 10, kEos = 11, kReverseVocab = 12;
constexpr arma::uword kTrainMaxLength = 12, kTestMaxLength = 24;

struct ReverseExample {
    TokenIds input;   // <bos> d_1 … d_n <eos>                [n + 2]
    TokenIds target;  // <bos> d_n … d_1 <bos>: <bos> = no target (ignored by the loss)
};
ReverseExample reverse_example(const std::string& digits);  // InputError unless all 0–9
std::string random_digits(TaskRng& rng, arma::uword length);

// The held-out strings, by length 1 … kTestMaxLength: `per_length` different ones each
// (at most a fifth of the 10^n strings there are, so training keeps the rest).
struct HeldOut {
    std::vector<std::vector<std::string>> by_length;  // [0] unused; [n] strings of length n
    bool contains(const std::string& digits) const;
};
HeldOut held_out_strings(std::uint64_t seed, arma::uword per_length);

// The model: E[ids]·√d (+ positions) → a pre-LN encoder → logits = h·Wᵀ + b [rows × 12].
struct PositionModelConfig {
    PositionKind kind = PositionKind::none;
    RopeLayout layout = RopeLayout::interleaved;
    arma::uword d_model = 32, num_heads = 4, d_ff = 64, layers = 2;
    arma::uword max_positions = kTestMaxLength + 2;  // rows of the learned table
};
LayerConfig layer_config(const PositionModelConfig& config);

class PositionModel {
public:
    explicit PositionModel(const PositionModelConfig& config);
    // B sequences of one length stacked: logits [B·n × 12].
    arma::mat forward(const std::vector<TokenIds>& batch);
    void backward(const arma::mat& dlogits);
    // The encoder's output of the last forward, before the head [B·n × d_model].
    const arma::mat& hidden() const { return hidden_; }
    void zero_grad();
    // embed.weight, pos_embed.weight (learned only), encoder.…, head.weight, head.bias
    ParamList params();
    // Every attention layer's RoPE layout, by permuting wq/wk rows (convert_rope_layout).
    void convert_layout(RopeLayout to);
    // The layout of every attention layer, without permuting anything (for the bug: one
    // model's weights read in the other layout).
    void set_layout(RopeLayout layout);

    PositionModelConfig config;
    Embedding embed;
    InputPositions positions;
    Encoder encoder;
    Linear head;

private:
    arma::mat hidden_;
    arma::uword sequences_ = 1;
};

struct PositionTraining {
    arma::uword steps = 1500, batch = 32, warmup = 100;
    double lr = 3e-3, clip_norm = 1.0;
    std::uint64_t seed = 42;
    arma::uword parts = 2;  // each batch cut into parts on the cores (train/batch_parts.hpp)
};
struct PositionTrainReport {
    double seconds = 0, final_loss = 0;  // mean cross-entropy (nats) of the last tenth
};
// The summed cross-entropy of a batch of examples (one length), its count and dlogits;
// <bos> targets ignored.
CrossEntropy reverse_loss(PositionModel& model, const std::vector<ReverseExample>& examples);

// Each step: one length drawn from 1 … kTrainMaxLength, `batch` strings of it that are
// not held out. Adam, linear warm-up then linear decay to 0, gradient clipping.
// Progress: ten plain lines to `progress` when not null.
PositionTrainReport train_reverse(PositionModel& model, const HeldOut& held_out,
                                  const PositionTraining& training, std::FILE* progress);

// Digits right and whole strings right, over the held-out strings of lengths lo … hi.
struct Accuracy {
    double digits = 0, strings = 0;
};
Accuracy reverse_accuracy(PositionModel& model, const HeldOut& held_out, arma::uword lo,
                          arma::uword hi);
// The model's reversal of one string (argmax at every digit's row).
std::string reverse_with(PositionModel& model, const std::string& digits);

// The checkpoint: data/positions_<kind>.safetensors; the metadata names the lesson, the
// position kind and the training. Loading checks the kind and every tensor.
std::string checkpoint_name(PositionKind kind);
void save_position_model(const std::string& path, PositionModel& model,
                         const PositionTraining& training);
std::unique_ptr<PositionModel> load_position_model(const std::string& path, PositionKind kind);

// max |f(P·x) − P·f(x)| of the encoder's output over `trials` random permutations of the
// rows of `digits`'s input (<bos> and <eos> included): 0 up to rounding without positions.
double equivariance_gap(PositionModel& model, const std::string& digits, arma::uword trials,
                        std::uint64_t seed);

// RoPE's relative property: D(m, n) = R_m(q) · R_n(k) for positions 0 … count−1
// [count × count], and its largest departure from being constant along each diagonal.
arma::mat rope_dot_products(const arma::rowvec& q, const arma::rowvec& k, arma::uword count,
                            RopeLayout layout);
double diagonal_deviation(const arma::mat& d);

// The RoPE model's logits on `digits` read in the half-split layout, against its own
// interleaved ones: max |difference| with wq/wk permuted (convert_layout: rounding) and
// without (set_layout: the two conventions mixed). The model is left as it was.
struct LayoutGaps {
    double permuted = 0, unpermuted = 0;
};
LayoutGaps layout_gaps(PositionModel& model, const std::string& digits);

// max over pos ≤ count − 1 − k of |PE[pos] · M_k − PE[pos + k]|, d_model wide.
double sinusoidal_shift_residual(arma::uword k, arma::uword d_model, arma::uword count);

// The accuracy table: encoding | digits right at 1–12, 13–16, 17–20, 21–24 | strings
// right at 1–12, from one model per kind (in position_kinds() order).
struct LengthBucket {
    arma::uword lo, hi;
};
const std::vector<LengthBucket>& length_buckets();
struct AccuracyRow {
    PositionKind kind;
    std::vector<Accuracy> by_bucket;
};
std::vector<AccuracyRow> accuracy_rows(std::vector<std::unique_ptr<PositionModel>>& models,
                                       const HeldOut& held_out);
TextTable accuracy_table(const std::vector<AccuracyRow>& rows);
// What the table shows, written from its numbers.
std::string accuracy_sentence(const std::vector<AccuracyRow>& rows);

// The held-out set the lesson and its tests use.
constexpr std::uint64_t kHeldOutSeed = 1313;
constexpr arma::uword kHeldOutPerLength = 50;

}  // namespace tfm::course
