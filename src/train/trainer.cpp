#include "train/trainer.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/text_width.hpp"
#include "train/cross_entropy.hpp"
#include "train/schedule.hpp"

#include <sys/ioctl.h>
#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace tfm {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string clock_time(double seconds) {
    const long s = static_cast<long>(seconds + 0.5);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    return buf;
}

// Columns of the terminal on `out`: the window's width, else $COLUMNS, else 80.
std::size_t terminal_width(std::FILE* out) {
    winsize w{};
    if (::ioctl(fileno(out), TIOCGWINSZ, &w) == 0 && w.ws_col > 0) return w.ws_col;
    if (const char* columns = std::getenv("COLUMNS")) {
        const long c = std::strtol(columns, nullptr, 10);
        if (c > 0) return static_cast<std::size_t>(c);
    }
    return 80;
}

// The held-out stream is a different generator from the training stream, derived
// from the same seed.
constexpr std::uint64_t kHeldOutStream = 0x9E3779B97F4A7C15ull;

// The decoded tokens before <eos>.
TokenIds before_eos(const std::vector<DecodeStep>& steps) {
    TokenIds ids;
    for (const DecodeStep& s : steps) {
        if (s.token == Vocab::eos) break;
        ids.push_back(s.token);
    }
    return ids;
}

// Evaluation runs in chunks of this many examples: big enough that every matrix product
// serves many sequences, small enough that the padded chunk stays a few MB.
constexpr std::size_t kEvalChunk = 128;

std::vector<std::vector<Example>> chunks(const std::vector<Example>& examples) {
    std::vector<std::vector<Example>> out;
    for (std::size_t i = 0; i < examples.size(); i += kEvalChunk)
        out.emplace_back(examples.begin() + static_cast<std::ptrdiff_t>(i),
                         examples.begin() + static_cast<std::ptrdiff_t>(
                                                std::min(i + kEvalChunk, examples.size())));
    return out;
}

// The longest start of text that fits in `columns` display columns (whole characters).
std::string first_columns(const std::string& text, std::size_t columns) {
    std::size_t end = 0, used = 0;
    while (end < text.size()) {
        std::size_t next = end + 1;
        while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80)
            ++next;
        const std::size_t w = display_width(text.substr(end, next - end));
        if (used + w > columns) break;
        used += w;
        end = next;
    }
    return text.substr(0, end);
}

}  // namespace

ModelConfig task_model_config(const Task& task) {
    ModelConfig c;
    c.name = task.name();
    c.d_model = 32;
    c.num_heads = 4;
    c.d_ff = 64;
    c.encoder_layers = 2;
    c.decoder_layers = 2;
    c.src_vocab_size = task.vocab().size();
    c.tgt_vocab_size = task.vocab().size();
    c.max_positions = 64;
    return c;
}

void TrainOptions::validate() const {
    require(steps >= 1 && steps <= kMaxSteps,
            [&] { return tr("{1} must be from 1 to {2}", "--steps", kMaxSteps); });
    require(warmup >= 1 && warmup <= kMaxSteps,
            [&] { return tr("{1} must be from 1 to {2}", "--warmup", kMaxSteps); });
    require(batch_size >= 1 && batch_size <= kMaxBatchSize,
            [&] { return tr("{1} must be from 1 to {2}", "--batch-size", kMaxBatchSize); });
    require(eval_size >= 1 && eval_size <= kMaxEvalSize,
            [&] { return tr("{1} must be from 1 to {2}", "--eval-size", kMaxEvalSize); });
    require(parts >= 1 && parts <= kMaxParts,
            [&] { return tr("{1} must be from 1 to {2}", "--parts", kMaxParts); });
    require(lr_scale > 0 && clip_norm >= 0,
            [&] { return tr("--lr-scale must be positive and --clip not negative"); });
    require(label_smoothing >= 0 && label_smoothing < 1,
            [&] { return tr("--label-smoothing must be in [0, 1)"); });
}

TrainOptions task_train_options(const Task& task) {
    // Chosen by a sweep over steps, warm-up and scale (docs/09-full-model.md has the table).
    TrainOptions o;
    if (task.name() != "dates") {
        o.steps = 3000;
        o.warmup = 400;
        o.lr_scale = 1.0;
        o.eval_size = 200;
    }
    return o;
}

double accumulate_gradients(Transformer& model, const Batch& batch, double normalizer,
                            double label_smoothing) {
    const arma::mat logits = model.forward_batch(batch.src, batch.tgt_in);
    CrossEntropy ce =
        cross_entropy(logits, concatenate(batch.tgt_out), Vocab::pad, label_smoothing);
    ce.dlogits /= normalizer;
    model.backward(ce.dlogits);
    return ce.total;
}

double evaluate_loss(Transformer& model, const std::vector<Example>& examples) {
    double total = 0.0;
    double count = 0.0;
    for (const std::vector<Example>& chunk : chunks(examples)) {
        const Batch batch = make_batch(chunk);
        const CrossEntropy ce =
            cross_entropy(model.forward_batch(batch.src, batch.tgt_in), concatenate(batch.tgt_out));
        total += ce.total;
        count += static_cast<double>(ce.count);
    }
    return count > 0 ? total / count : 0.0;
}

TokenIds decode_ids(Transformer& model, const TokenIds& src, arma::uword max_len) {
    return before_eos(greedy_decode(model, src, Vocab::bos, Vocab::eos, max_len));
}

double exact_match(Transformer& model, const std::vector<Example>& examples, arma::uword max_len) {
    if (examples.empty()) return 0.0;
    std::size_t correct = 0;
    for (const std::vector<Example>& chunk : chunks(examples)) {
        const Batch batch = make_batch(chunk);  // sources padded to one length
        const auto decoded = greedy_decode_batch(model, batch.src, Vocab::bos, Vocab::eos, max_len);
        for (std::size_t i = 0; i < chunk.size(); ++i)
            if (before_eos(decoded[i]) == chunk[i].tgt) ++correct;
    }
    return static_cast<double>(correct) / static_cast<double>(examples.size());
}

std::string format_progress(const Progress& p, std::size_t width) {
    char count[32], loss[32], rate[32], speed[32];
    std::snprintf(count, sizeof count, "%5llu", static_cast<unsigned long long>(p.step));
    std::snprintf(loss, sizeof loss, "%.4f", p.loss);
    std::snprintf(rate, sizeof rate, "%.1e", p.learning_rate);
    std::snprintf(speed, sizeof speed, "%5.1f", p.tokens_per_second / 1000.0);
    const std::string step = tr("step {1}/{2}", count, p.steps);
    const std::string losses = "  " + tr("loss {1}  lr {2}", loss, rate);
    const std::string speeds = "  " + tr("{1}k tok/s", speed);
    const std::string elapsed = "  " + tr("{1} elapsed", clock_time(p.elapsed));
    const std::string left = "  " + tr("{1} left", clock_time(p.remaining));
    std::string text = step + losses + speeds + elapsed + left;
    if (width == 0) return text;

    // What fits, least useful part first out: the speed, then the elapsed time.
    const std::size_t room = width - 1;
    constexpr std::size_t kMinBar = 10, kMaxBar = 24;
    if (display_width(text) + kMinBar + 3 > room) text = step + losses + elapsed + left;
    if (display_width(text) + kMinBar + 3 > room) text = step + losses + left;
    if (display_width(text) + kMinBar + 3 > room) return first_columns(text, room);
    const std::size_t bar = std::min(kMaxBar, room - display_width(text) - 3);
    const std::size_t filled =
        p.steps ? std::min<std::size_t>(bar, static_cast<std::size_t>(bar * p.step / p.steps))
                : bar;
    return "[" + std::string(filled, '#') + std::string(bar - filled, '.') + "] " + text;
}

Trainer::Trainer(Transformer& model_, const Task& task_, TrainOptions options_)
    : model(model_),
      task(task_),
      options(options_),
      adam(model_.params()),
      train_rng_(options_.seed),
      parallel_(model_, options_.parts) {
    TaskRng held_out_rng(options.seed ^ kHeldOutStream);
    held_out = task.sample_distinct(held_out_rng, options.eval_size);
    for (const Example& e : held_out) held_out_sources_.insert(e.source);
}

Batch Trainer::next_batch() {
    std::vector<Example> examples;
    while (examples.size() < options.batch_size) {
        Example e = task.sample(train_rng_);
        if (held_out_sources_.count(e.source) == 0) examples.push_back(std::move(e));
    }
    return make_batch(examples);
}

double Trainer::step(const Batch& batch) {
    model.zero_grad();
    const double normalizer = static_cast<double>(batch.tgt_tokens);
    const double total = parallel_.accumulate(batch, normalizer, options.label_smoothing);
    if (options.clip_norm > 0.0) clip_grad_norm(adam.params, options.clip_norm);
    adam.step(noam_rate(adam.steps + 1, model.config.d_model, options.warmup, options.lr_scale));
    return total / normalizer;
}

TrainReport Trainer::run(std::FILE* out) {
    TrainReport report;
    report.eval_size = held_out.size();
    report.initial_loss = evaluate_loss(model, held_out);
    const arma::uword max_len = task.max_target_len() + 1;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    auto curve_point = [&](arma::uword s, double train_loss) {
        CurvePoint point{
            s, train_loss,
            s == 0 ? 0.0 : noam_rate(s, model.config.d_model, options.warmup, options.lr_scale),
            nan, nan};
        if (options.held_out_curve) {
            point.held_out_loss = s == 0 ? report.initial_loss : evaluate_loss(model, held_out);
            point.exact_match = exact_match(model, held_out, max_len);
        }
        report.curve.push_back(point);
    };
    curve_point(0, nan);

    const bool terminal = out != nullptr && isatty(fileno(out));
    const std::size_t width = terminal ? terminal_width(out) : 0;
    const arma::uword every =
        options.log_every > 0 ? options.log_every : std::max<arma::uword>(1, options.steps / 10);
    const Clock::time_point start = Clock::now();
    double last_draw = -1.0;
    double tokens = 0.0, loss_sum = 0.0;
    arma::uword loss_count = 0;
    for (arma::uword s = 1; s <= options.steps; ++s) {
        const Batch batch = next_batch();
        loss_sum += step(batch);
        ++loss_count;
        tokens += static_cast<double>(batch.src_tokens + batch.tgt_tokens);

        const bool report_line = s % every == 0 || s == options.steps;
        // On a terminal the bar is redrawn at most ten times a second.
        const bool redraw = terminal && seconds_since(start) - last_draw >= 0.1;
        if (out != nullptr && (redraw || report_line)) {
            Progress p;
            p.step = s;
            p.steps = options.steps;
            p.loss = loss_sum / static_cast<double>(loss_count);
            p.learning_rate = noam_rate(s, model.config.d_model, options.warmup, options.lr_scale);
            p.elapsed = seconds_since(start);
            p.tokens_per_second = tokens / p.elapsed;
            p.remaining =
                p.elapsed / static_cast<double>(s) * static_cast<double>(options.steps - s);
            if (terminal) {
                std::fprintf(out, "\r%s\033[K", format_progress(p, width).c_str());
                if (s == options.steps) std::fputc('\n', out);
                last_draw = p.elapsed;
            } else {
                std::fprintf(out, "%s\n", format_progress(p, 0).c_str());
            }
            std::fflush(out);
        }
        if (report_line) {
            curve_point(s, loss_sum / static_cast<double>(loss_count));
            loss_sum = 0.0;
            loss_count = 0;
        }
    }
    report.seconds = seconds_since(start);
    report.tokens_per_second = report.seconds > 0 ? tokens / report.seconds : 0.0;
    report.final_loss = evaluate_loss(model, held_out);
    report.accuracy = exact_match(model, held_out, max_len);
    return report;
}

}  // namespace tfm
