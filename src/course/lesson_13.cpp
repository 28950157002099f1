#include "course/lesson_13.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "io/safetensors.hpp"
#include "nn/positional_encoding.hpp"
#include "ops/rope.hpp"
#include "train/adam.hpp"
#include "train/batch_parts.hpp"
#include "train/cross_entropy.hpp"
#include "train/schedule.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

namespace tfm::course {

ReverseExample reverse_example(const std::string& digits) {
    ReverseExample e;
    e.input.push_back(kBos);
    for (char c : digits) {
        require(c >= '0' && c <= '9', tr("'{1}' is not a string of digits 0–9", digits));
        e.input.push_back(static_cast<arma::uword>(c - '0'));
    }
    e.input.push_back(kEos);
    e.target.push_back(kBos);
    for (auto c = digits.rbegin(); c != digits.rend(); ++c)
        e.target.push_back(static_cast<arma::uword>(*c - '0'));
    e.target.push_back(kBos);
    return e;
}

std::string random_digits(TaskRng& rng, arma::uword length) {
    std::string s;
    for (arma::uword i = 0; i < length; ++i) s += static_cast<char>('0' + rng.below(10));
    return s;
}

bool HeldOut::contains(const std::string& digits) const {
    if (digits.size() >= by_length.size()) return false;
    const std::vector<std::string>& same = by_length[digits.size()];
    return std::find(same.begin(), same.end(), digits) != same.end();
}

HeldOut held_out_strings(std::uint64_t seed, arma::uword per_length) {
    TaskRng rng(seed);
    HeldOut h;
    h.by_length.resize(kTestMaxLength + 1);
    for (arma::uword n = 1; n <= kTestMaxLength; ++n) {
        const double there_are = std::pow(10.0, static_cast<double>(n));
        const auto want = static_cast<std::size_t>(
            std::min(static_cast<double>(per_length), std::floor(there_are / 5)));
        std::set<std::string> seen;
        while (seen.size() < want) {
            const std::string s = random_digits(rng, n);
            if (seen.insert(s).second) h.by_length[n].push_back(s);
        }
    }
    return h;
}

LayerConfig layer_config(const PositionModelConfig& config) {
    LayerConfig c;
    c.d_model = config.d_model;
    c.num_heads = config.num_heads;
    c.d_ff = config.d_ff;
    c.norm_first = true;
    c.validate();
    return c;
}

PositionModel::PositionModel(const PositionModelConfig& config)
    : config(config),
      embed(kReverseVocab, config.d_model),
      positions(config.kind, config.max_positions, config.d_model),
      encoder(layer_config(config), config.layers),
      head(config.d_model, kReverseVocab) {
    set_layout(config.layout);
}

void PositionModel::set_layout(RopeLayout layout) {
    config.layout = layout;
    for (EncoderLayer& layer : encoder.layers)
        layer.self_attn.positions = attention_positions(config.kind, layout);
}

void PositionModel::convert_layout(RopeLayout to) {
    for (EncoderLayer& layer : encoder.layers) convert_rope_layout(layer.self_attn, to);
    config.layout = to;
}

arma::mat PositionModel::forward(const std::vector<TokenIds>& batch) {
    require(!batch.empty(), tr("an empty batch"));
    TokenIds ids;
    for (const TokenIds& s : batch) {
        require(s.size() == batch.front().size(), tr("a batch holds sequences of one length"));
        ids.insert(ids.end(), s.begin(), s.end());
    }
    sequences_ = batch.size();
    const arma::mat x = positions.forward(embed.forward(ids), sequences_);
    hidden_ = encoder.forward(x, {}, sequences_);
    return head.forward(hidden_);
}

void PositionModel::backward(const arma::mat& dlogits) {
    embed.backward(positions.backward(encoder.backward(head.backward(dlogits))));
}

void PositionModel::zero_grad() {
    embed.zero_grad();
    positions.zero_grad();
    encoder.zero_grad();
    head.zero_grad();
}

ParamList PositionModel::params() {
    ParamList out;
    embed.params("embed.", out);
    positions.params("pos_embed.", out);
    encoder.params("encoder.", out);
    head.params("head.", out);
    return out;
}

CrossEntropy reverse_loss(PositionModel& model, const std::vector<ReverseExample>& examples) {
    std::vector<TokenIds> inputs;
    TokenIds targets;
    for (const ReverseExample& e : examples) {
        inputs.push_back(e.input);
        targets.insert(targets.end(), e.target.begin(), e.target.end());
    }
    return cross_entropy(model.forward(inputs), targets, kBos);
}

PositionTrainReport train_reverse(PositionModel& model, const HeldOut& held_out,
                                  const PositionTraining& training, std::FILE* progress) {
    using Clock = std::chrono::steady_clock;
    const Clock::time_point start = Clock::now();
    const ParamList params = model.params();
    Adam adam(params);
    TaskRng rng(training.seed * 1000003 + static_cast<std::uint64_t>(model.config.kind));
    const arma::uword every = std::max<arma::uword>(1, training.steps / 10);
    double recent = 0, recent_count = 0, window = 0, window_count = 0;
    PositionTrainReport report;
    BatchParts<PositionModel> parts(model, training.parts, training.seed);
    for (arma::uword step = 1; step <= training.steps; ++step) {
        const arma::uword n = 1 + rng.below(kTrainMaxLength);
        std::vector<ReverseExample> batch;
        while (batch.size() < training.batch) {
            const std::string s = random_digits(rng, n);
            if (!held_out.contains(s)) batch.push_back(reverse_example(s));
        }
        model.zero_grad();
        const StepLoss ce = parts.step(batch, 0.0, reverse_loss);
        clip_grad_norm(params, training.clip_norm);
        adam.step(linear_warmup_decay_rate(step, training.steps, training.warmup, training.lr));
        window += ce.total;
        window_count += static_cast<double>(ce.count);
        if (step > training.steps - every) {
            recent += ce.total;
            recent_count += static_cast<double>(ce.count);
        }
        if (progress != nullptr && (step % every == 0 || step == training.steps)) {
            const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
            char name[32], step_text[32];
            std::snprintf(name, sizeof name, "%-10s", to_string(model.config.kind).c_str());
            std::snprintf(step_text, sizeof step_text, "%5llu",
                          static_cast<unsigned long long>(step));
            const std::string line =
                tr("{1} step {2}/{3}  loss {4}  {5} s", name, step_text, training.steps,
                   printf_number(window / window_count, "%.3f"), printf_number(seconds, "%.0f"));
            std::fprintf(progress, "%s\n", line.c_str());
            std::fflush(progress);
            window = window_count = 0;
        }
    }
    report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    report.final_loss = recent_count > 0 ? recent / recent_count : 0.0;
    return report;
}

Accuracy reverse_accuracy(PositionModel& model, const HeldOut& held_out, arma::uword lo,
                          arma::uword hi) {
    double digits = 0, digits_right = 0, strings = 0, strings_right = 0;
    for (arma::uword n = lo; n <= hi && n < held_out.by_length.size(); ++n) {
        const std::vector<std::string>& same = held_out.by_length[n];
        if (same.empty()) continue;
        std::vector<ReverseExample> examples;
        std::vector<TokenIds> inputs;
        for (const std::string& s : same) {
            examples.push_back(reverse_example(s));
            inputs.push_back(examples.back().input);
        }
        const arma::mat logits = model.forward(inputs);
        for (std::size_t b = 0; b < examples.size(); ++b) {
            bool all = true;
            for (arma::uword t = 1; t <= n; ++t) {
                const arma::uword row = b * (n + 2) + t;
                const bool right = logits.row(row).index_max() == examples[b].target[t];
                digits_right += right ? 1 : 0;
                all = all && right;
            }
            digits += static_cast<double>(n);
            strings += 1;
            strings_right += all ? 1 : 0;
        }
    }
    Accuracy a;
    if (digits > 0) a.digits = digits_right / digits;
    if (strings > 0) a.strings = strings_right / strings;
    return a;
}

std::string reverse_with(PositionModel& model, const std::string& digits) {
    const ReverseExample e = reverse_example(digits);
    const arma::mat logits = model.forward(std::vector<TokenIds>{e.input});
    std::string out;
    for (arma::uword t = 1; t <= digits.size(); ++t) {
        const arma::uword id = logits.row(t).index_max();
        out += id < 10 ? static_cast<char>('0' + id) : '?';
    }
    return out;
}

std::string checkpoint_name(PositionKind kind) {
    return "positions_" + to_string(kind) + ".safetensors";
}

void save_position_model(const std::string& path, PositionModel& model,
                         const PositionTraining& training) {
    const PositionModelConfig& c = model.config;
    save_params(path, model.params(),
                {{"lesson", "13_positions"},
                 {"task", "reverse"},
                 {"position", to_string(c.kind)},
                 {"rope_layout", to_string(c.layout)},
                 {"d_model", std::to_string(c.d_model)},
                 {"num_heads", std::to_string(c.num_heads)},
                 {"d_ff", std::to_string(c.d_ff)},
                 {"layers", std::to_string(c.layers)},
                 {"max_positions", std::to_string(c.max_positions)},
                 {"steps", std::to_string(training.steps)},
                 {"batch", std::to_string(training.batch)},
                 {"seed", std::to_string(training.seed)}});
}

std::unique_ptr<PositionModel> load_position_model(const std::string& path, PositionKind kind) {
    const Metadata m = read_safetensors_metadata(path);
    const auto said = [&](const std::string& key) {
        const auto it = m.find(key);
        return it == m.end() ? std::string() : it->second;
    };
    require(said("lesson") == "13_positions" && said("task") == "reverse",
            tr("{1}: not a checkpoint of lesson 13's reverse task", path));
    require(said("position") == to_string(kind),
            tr("{1}: its position encoding is '{2}', expected '{3}'", path, said("position"),
               to_string(kind)));
    PositionModelConfig config;  // the lesson's sizes; load_params checks every shape
    config.kind = kind;
    config.layout = rope_layout(said("rope_layout"));
    auto model = std::make_unique<PositionModel>(config);
    load_params(path, model->params());
    return model;
}

double equivariance_gap(PositionModel& model, const std::string& digits, arma::uword trials,
                        std::uint64_t seed) {
    const TokenIds ids = reverse_example(digits).input;
    model.forward(std::vector<TokenIds>{ids});
    const arma::mat y = model.hidden();
    TaskRng rng(seed);
    double gap = 0;
    for (arma::uword trial = 0; trial < trials; ++trial) {
        arma::uvec order(ids.size());
        for (arma::uword i = 0; i < order.n_elem; ++i) order(i) = i;
        for (arma::uword i = order.n_elem - 1; i > 0; --i)  // Fisher–Yates
            std::swap(order(i), order(rng.below(i + 1)));
        TokenIds shuffled;
        for (arma::uword i : order) shuffled.push_back(ids[i]);
        model.forward(std::vector<TokenIds>{shuffled});
        gap = std::max(gap, arma::abs(model.hidden() - y.rows(order)).max());
    }
    return gap;
}

arma::mat rope_dot_products(const arma::rowvec& q, const arma::rowvec& k, arma::uword count,
                            RopeLayout layout) {
    const arma::mat qs = rope_rotate(arma::repmat(q, count, 1), layout);  // row m: R_m(q)
    const arma::mat ks = rope_rotate(arma::repmat(k, count, 1), layout);
    return qs * ks.t();
}

double diagonal_deviation(const arma::mat& d) {
    double worst = 0;
    for (arma::uword m = 0; m < d.n_rows; ++m)
        for (arma::uword n = 0; n < d.n_cols; ++n) {
            const double first = m >= n ? d(m - n, 0) : d(0, n - m);  // the diagonal's start
            worst = std::max(worst, std::abs(d(m, n) - first));
        }
    return worst;
}

LayoutGaps layout_gaps(PositionModel& model, const std::string& digits) {
    const RopeLayout own = model.config.layout;
    const RopeLayout other =
        own == RopeLayout::interleaved ? RopeLayout::half_split : RopeLayout::interleaved;
    const std::vector<TokenIds> batch = {reverse_example(digits).input};
    const arma::mat before = model.forward(batch);
    LayoutGaps g;
    model.set_layout(other);  // the rows as they are, read the other way
    g.unpermuted = arma::abs(model.forward(batch) - before).max();
    model.set_layout(own);
    model.convert_layout(other);  // the rows permuted
    g.permuted = arma::abs(model.forward(batch) - before).max();
    model.convert_layout(own);
    return g;
}

double sinusoidal_shift_residual(arma::uword k, arma::uword d_model, arma::uword count) {
    require(k < count, tr("the shift must be shorter than the positions"));
    const arma::mat pe = positional_encoding(count, d_model);
    const arma::mat moved = pe.rows(0, count - 1 - k) * sinusoidal_shift(k, d_model);
    return arma::abs(moved - pe.rows(k, count - 1)).max();
}

const std::vector<LengthBucket>& length_buckets() {
    static const std::vector<LengthBucket> buckets = {{1, 12}, {13, 16}, {17, 20}, {21, 24}};
    return buckets;
}

std::vector<AccuracyRow> accuracy_rows(std::vector<std::unique_ptr<PositionModel>>& models,
                                       const HeldOut& held_out) {
    std::vector<AccuracyRow> rows;
    for (auto& model : models) {
        AccuracyRow row{model->config.kind, {}};
        for (const LengthBucket& b : length_buckets())
            row.by_bucket.push_back(reverse_accuracy(*model, held_out, b.lo, b.hi));
        rows.push_back(row);
    }
    return rows;
}

namespace {

std::string percent(double x) { return printf_number(100 * x, "%.1f") + "%"; }

std::string bucket_name(const LengthBucket& b) {
    return std::to_string(b.lo) + "–" + std::to_string(b.hi);
}

}  // namespace

TextTable accuracy_table(const std::vector<AccuracyRow>& rows) {
    TextTable t;
    t.header = {tr("encoding")};
    for (const LengthBucket& b : length_buckets())
        t.header.push_back(tr("digits {1}", bucket_name(b)));
    t.header.push_back(tr("strings {1}", bucket_name(length_buckets().front())));
    for (const AccuracyRow& r : rows) {
        std::vector<std::string> cells{to_string(r.kind)};
        for (const Accuracy& a : r.by_bucket) cells.push_back(percent(a.digits));
        cells.push_back(percent(r.by_bucket.front().strings));
        t.rows.push_back(cells);
    }
    return t;
}

std::string accuracy_sentence(const std::vector<AccuracyRow>& rows) {
    require(!rows.empty(), tr("no models to compare"));
    // The encodings that share the best figure of a bucket (as printed), by name.
    const auto best_at = [&](std::size_t bucket) {
        double best = 0;
        for (const AccuracyRow& r : rows) best = std::max(best, r.by_bucket[bucket].digits);
        std::vector<std::string> names;
        for (const AccuracyRow& r : rows)
            if (percent(r.by_bucket[bucket].digits) == percent(best))
                names.push_back(to_string(r.kind));
        std::string joined;
        for (std::size_t i = 0; i < names.size(); ++i)
            joined = i == 0                  ? names[i]
                     : i + 1 == names.size() ? tr("{1} and {2}", joined, names[i])
                                             : tr("{1}, {2}", joined, names[i]);
        return tr("{1} ({2} of the digits)", joined, percent(best));
    };
    for (const AccuracyRow& r : rows)
        if (r.kind == PositionKind::none)
            return tr(
                "On held-out strings as long as the training ones, the best is {1}; just "
                "past them, at 13–16, {2}; at 21–24, {3}. None, which cannot tell one "
                "place from another, gets {4} even at 1–12.",
                best_at(0), best_at(1), best_at(3), percent(r.by_bucket[0].digits));
    return tr(
        "On held-out strings as long as the training ones, the best is {1}; just past "
        "them, at 13–16, {2}; at 21–24, {3}.",
        best_at(0), best_at(1), best_at(3));
}

}  // namespace tfm::course
