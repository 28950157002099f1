// make bench: the time of one forward pass and of one full training step (forward +
// cross-entropy + backward + Adam) of the course's models, on batches of random tokens,
// at a given number of threads, and the dgemm peak of this machine at that thread count.
//   config     what it is                       d_model  heads  d_ff  layers  seq  batch
//   lesson     the lessons' small default             8      2    32     2+2   16      8
//   dates      lesson 09's trained model             32      4    64     2+2   16     32
//   base       Transformer-base sized               512      8  2048     6+6   64      8
//   gpt        lesson 11's GPT, as it trains         32      4   128       3   64     32
//   bert       lesson 12's BERT, as it trains        64      4   256       2   64     32
//   positions  lesson 13's RoPE encoder              32      4    64       2   14     32
//   vit        lesson 14's ViT on 16 × 16 images     32      2    64       2   17     64
// Vocabulary 1,000 for lesson/base, 71 for dates, 1,592 (the poems') for gpt/bert, 12 for
// positions (12-digit strings between <bos> and <eos>); the ViT reads 16 patches of 16
// pixels and a [CLS] row (17 rows) and answers one of 10 classes. The GPT's step is the causal-LM
// loss over every position, BERT's the masked-LM loss over the 15% chosen by its recipe,
// the positions model's the reversal's loss over every digit; each as its lesson's
// training runs it (no clipping here); the ViT's the cross-entropy of its [CLS] logits.
//
// Threads (--threads N, default 1): ours uses at most N threads in all. Every step runs its
// training's data parallelism (train/data_parallel.hpp for the encoder–decoder,
// train/batch_parts.hpp for the others) with P parts (--parts, default N), each on one
// OpenBLAS thread, or with P = 1 on N OpenBLAS threads. Forward passes run on N OpenBLAS
// threads.
// Prints, for machine reading (bench/run.sh makes the table):
//   peak THREADS N GFLOPS_MEDIAN GFLOPS_MIN GFLOPS_MAX      dgemm of two n × n matrices
//   CONFIG FWD_MEDIAN FWD_MIN FWD_MAX STEP_MEDIAN STEP_MIN STEP_MAX FWD_GFLOP STEP_GFLOP PARTS BLAS
// times in milliseconds over the repetitions (after a warm-up of 0.3 s); FWD_GFLOP is the
// floating-point work of one forward pass counted from the shapes (2 × the multiply-adds of
// model/config's macs_per_token), STEP_GFLOP three times that (backward multiplies by both
// the weights and the inputs of every product; BERT's step runs its head on the chosen 15%
// of the rows alone, and counts so); the "peak" is the best median over n.
//
//   build/tools/bench [--threads N] [--parts P] [--quick] [--cpu] [--repeats R] [--no-peak]
//                     [CONFIG …]
#include "analysis/cost.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/random.hpp"
#include "course/lesson_13.hpp"
#include "course/lesson_14.hpp"
#include "model/bert.hpp"
#include "model/gpt.hpp"
#include "model/transformer.hpp"
#include "train/adam.hpp"
#include "train/batch_parts.hpp"
#include "train/cross_entropy.hpp"
#include "train/data_parallel.hpp"
#include "train/lm.hpp"
#include "train/mlm.hpp"
#include "train/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

using namespace tfm;

namespace {

struct BenchConfig {
    std::string name;
    arma::uword d_model, heads, d_ff, layers, seq_len, batch, vocab, repeats;
};

struct Settings {
    int threads = 1;
    arma::uword parts = 0;    // 0: as many as threads
    arma::uword repeats = 0;  // 0: the configuration's own
    bool quick = false;
    bool cpu_time = false;
    bool peak = true;  // --no-peak: skip the dgemm peak (for profiling a configuration)
};
Settings settings;

struct Spread {
    double median, min, max;
};

Spread spread(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return {v[v.size() / 2], v.front(), v.back()};
}

double wall_ms() {
    return std::chrono::duration<double, std::milli>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// Wall-clock milliseconds, or with --cpu the CPU time of the whole process (every thread):
// on a machine busy with other work the CPU time still shows what our code costs.
double now_ms() {
    if (settings.cpu_time) {
        timespec ts{};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return 1e3 * static_cast<double>(ts.tv_sec) + 1e-6 * static_cast<double>(ts.tv_nsec);
    }
    return wall_ms();
}

// `repeats` timed calls of `work` in milliseconds, after a warm-up of at least one call and
// 0.3 s. The warm-up takes what only the first calls pay: the page faults of fresh buffers;
// OpenBLAS's idle threads, which spin for about 0.1 s after their last product before they
// sleep (its THREAD_TIMEOUT, 2^28 cycles) and would share the cores with a step's parts;
// and the scheduler's first placing of the parts' threads, which for a while may put both
// on one core. (Seen before the warm-up lasted 0.3 s: the first 13 of 20 dates steps, on
// two parts, took as long as one part on one core.)
std::vector<double> time_calls(arma::uword repeats, const std::function<void()>& work) {
    const double warm_up_end = wall_ms() + 300;
    do work();
    while (wall_ms() < warm_up_end);
    std::vector<double> ms;
    for (arma::uword r = 0; r < repeats; ++r) {
        const double t0 = now_ms();
        work();
        ms.push_back(now_ms() - t0);
    }
    return ms;
}

// The model's forward multiply-adds for the whole batch, as floating-point operations.
double forward_gflop(const ModelConfig& c, const BenchConfig& b) {
    return 2e-9 * static_cast<double>(macs_per_token(c, b.seq_len)) *
           static_cast<double>(b.batch * b.seq_len);
}

// step_gflop 0: three times the forward pass's.
void report(const BenchConfig& b, const std::vector<double>& forward_ms,
            const std::vector<double>& step_ms, double gflop, arma::uword parts, int blas,
            double step_gflop = 0) {
    const Spread f = spread(forward_ms), s = spread(step_ms);
    std::printf("%s %.3f %.3f %.3f %.3f %.3f %.3f %.6g %.6g %llu %d\n", b.name.c_str(), f.median,
                f.min, f.max, s.median, s.min, s.max, gflop,
                step_gflop > 0 ? step_gflop : 3 * gflop, static_cast<unsigned long long>(parts),
                blas);
    std::fflush(stdout);
}

// dgemm C = A·B of n × n matrices on the bench's threads: the best median over n.
void bench_peak() {
    set_blas_threads(settings.threads);
    Spread best{0, 0, 0};
    arma::uword best_n = 0;
    for (arma::uword n : {256, 512, 1024}) {
        const arma::mat a(n, n, arma::fill::randu), b(n, n, arma::fill::randu);
        arma::mat c(n, n);
        const double gflop = 2e-9 * static_cast<double>(n * n * n);
        const arma::uword repeats = settings.quick ? 3 : 7;
        std::vector<double> rates;
        for (double ms : time_calls(repeats, [&] { c = a * b; })) rates.push_back(gflop / ms * 1e3);
        const Spread s = spread(rates);
        if (s.median > best.median) {
            best = s;
            best_n = n;
        }
    }
    std::printf("peak %d %llu %.2f %.2f %.2f\n", settings.threads,
                static_cast<unsigned long long>(best_n), best.median, best.min, best.max);
    std::fflush(stdout);
}

void bench_transformer(const BenchConfig& b) {
    ModelConfig c;
    c.d_model = b.d_model;
    c.num_heads = b.heads;
    c.d_ff = b.d_ff;
    c.encoder_layers = c.decoder_layers = b.layers;
    c.src_vocab_size = c.tgt_vocab_size = b.vocab;
    set_seed(1);
    Transformer model(c);
    Adam adam(model.params());
    // Random non-special tokens (ids 4 … vocab−1), no padding: every row is real work.
    TokenBatch src(b.batch), tgt(b.batch);
    for (arma::uword i = 0; i < b.batch; ++i) {
        const arma::uvec s =
            arma::randi<arma::uvec>(b.seq_len, arma::distr_param(4, int(b.vocab) - 1));
        const arma::uvec t =
            arma::randi<arma::uvec>(b.seq_len, arma::distr_param(4, int(b.vocab) - 1));
        src[i] = TokenIds(s.begin(), s.end());
        tgt[i] = TokenIds(t.begin(), t.end());
    }
    Batch batch;
    batch.src = src;
    batch.tgt_in = tgt;
    batch.tgt_out = tgt;
    batch.src_tokens = batch.tgt_tokens = b.batch * b.seq_len;
    // All forward passes first, on the BLAS threads; then all steps, as the trainer runs
    // them: the batch cut into parts run side by side, each on one BLAS thread.
    set_blas_threads(settings.threads);
    const std::vector<double> forward_ms =
        time_calls(b.repeats, [&] { model.forward_batch(src, tgt); });
    const arma::uword parts = settings.parts > 0 ? settings.parts : settings.threads;
    set_blas_threads(std::max(1, settings.threads / static_cast<int>(parts)));
    DataParallel parallel(model, parts);
    const int blas = blas_threads();  // parts × BLAS threads ≤ threads
    const std::vector<double> step_ms = time_calls(b.repeats, [&] {
        model.zero_grad();
        parallel.accumulate(batch, static_cast<double>(b.batch * b.seq_len));
        adam.step(1e-4);
    });
    report(b, forward_ms, step_ms, forward_gflop(c, b), parts, blas);
}

// Random character ids (5 … vocab−1) after <bos>: one sequence of `length` ids.
TokenIds random_poem_piece(arma::uword length, arma::uword vocab) {
    const arma::uvec ids = arma::randi<arma::uvec>(length, arma::distr_param(5, int(vocab) - 1));
    TokenIds out(ids.begin(), ids.end());
    out.front() = Vocab::bos;
    return out;
}

// A model of lessons 11–14 as its lesson trains it (train/batch_parts.hpp): forward() on the
// BLAS threads, and the step with the batch cut into P parts (--parts, default N), each on
// one BLAS thread, or with P = 1 on N BLAS threads; loss(model, examples) as the training's.
// step_gflop 0: three times the forward pass's.
template <class Model, class Forward, class Example, class Loss>
void bench_parts(const BenchConfig& b, double gflop, Model& model, Forward forward,
                 const std::vector<Example>& batch, Loss loss, double step_gflop = 0) {
    set_blas_threads(settings.threads);
    Adam adam(model.params());
    const std::vector<double> forward_ms = time_calls(b.repeats, forward);
    const arma::uword parts = settings.parts > 0 ? settings.parts : settings.threads;
    set_blas_threads(std::max(1, settings.threads / static_cast<int>(parts)));
    BatchParts<Model> batch_parts(model, parts, 1);
    const int blas = blas_threads();  // parts × BLAS threads ≤ threads
    const std::vector<double> step_ms = time_calls(b.repeats, [&] {
        model.zero_grad();
        batch_parts.step(batch, 0.0, loss);
        adam.step(1e-4);
    });
    report(b, forward_ms, step_ms, gflop, parts, blas, step_gflop);
}

void bench_gpt(const BenchConfig& b) {
    set_seed(1);
    ModelConfig c = gpt_lesson_config(b.vocab);
    c.max_positions = b.seq_len;
    Gpt model(c);
    std::vector<TokenIds> windows, inputs;  // windows of seq_len + 1 ids: input and target
    for (arma::uword i = 0; i < b.batch; ++i) {
        windows.push_back(random_poem_piece(b.seq_len + 1, b.vocab));
        inputs.push_back(TokenIds(windows.back().begin(), windows.back().end() - 1));
    }
    bench_parts(
        b, forward_gflop(c, b), model, [&] { model.forward(inputs); }, windows,
        [](Gpt& m, const std::vector<TokenIds>& w) { return lm_loss(m, w); });
}

void bench_bert(const BenchConfig& b) {
    set_seed(1);
    ModelConfig c = bert_lesson_config(b.vocab);
    c.max_positions = b.seq_len;
    Bert model(c);
    std::mt19937_64 rng(1);
    std::vector<MaskedExample> batch;
    std::vector<TokenIds> inputs;
    for (arma::uword i = 0; i < b.batch; ++i) {
        batch.push_back(mask_tokens(random_poem_piece(b.seq_len, b.vocab), b.vocab, rng));
        inputs.push_back(batch.back().input);
    }
    // The step's head (dense d × d, then the tied output over V) runs on the chosen rows
    // alone (Bert::forward_rows), the forward pass's on every row.
    double chosen = 0;
    for (const MaskedExample& e : batch)
        for (arma::uword t : e.target) chosen += t != Vocab::pad;
    const double rows = static_cast<double>(b.batch * b.seq_len);
    const double head_gflop = 2e-9 * static_cast<double>(c.d_model * (c.d_model + b.vocab));
    const double step_gflop = 3 * (forward_gflop(c, b) - (rows - chosen) * head_gflop);
    bench_parts(
        b, forward_gflop(c, b), model, [&] { model.forward(inputs); }, batch,
        [](Bert& m, const std::vector<MaskedExample>& e) { return mlm_loss(m, e); }, step_gflop);
}

// Lesson 13's RoPE model on strings of seq_len − 2 digits (lesson_13.hpp's train_reverse).
void bench_positions(const BenchConfig& b) {
    set_seed(1);
    course::PositionModelConfig pc;
    pc.kind = PositionKind::rope;
    pc.d_model = b.d_model;
    pc.num_heads = b.heads;
    pc.d_ff = b.d_ff;
    pc.layers = b.layers;
    course::PositionModel model(pc);
    TaskRng rng(1);
    std::vector<course::ReverseExample> batch;
    std::vector<TokenIds> inputs;
    for (arma::uword i = 0; i < b.batch; ++i) {
        batch.push_back(course::reverse_example(course::random_digits(rng, b.seq_len - 2)));
        inputs.push_back(batch.back().input);
    }
    // Its work counted as an encoder-only model of the same layers, plus the head.
    ModelConfig c;
    static_cast<LayerConfig&>(c) = course::layer_config(pc);
    c.architecture = Architecture::encoder_only;
    c.encoder_layers = pc.layers;
    c.decoder_layers = 0;
    c.src_vocab_size = course::kReverseVocab;
    c.max_positions = pc.max_positions;
    c.pooler = false;
    const double gflop =
        forward_gflop(c, b) + 2e-9 * static_cast<double>(course::kReverseVocab * b.d_model) *
                                  static_cast<double>(b.batch * b.seq_len);
    bench_parts(
        b, gflop, model, [&] { model.forward(inputs); }, batch, course::reverse_loss);
}

// Lesson 14's ViT on `batch` digit images (course/lesson_14.hpp's train_vit).
void bench_vit(const BenchConfig& b) {
    set_seed(1);
    VitConfig vc = course::digit_vit_config();
    vc.d_model = b.d_model;
    vc.num_heads = b.heads;
    vc.d_ff = b.d_ff;
    vc.layers = b.layers;
    vc.classes = b.vocab;
    require(b.seq_len == vc.num_patches() + 1, tr("the ViT's sequence is its patches and [CLS]"));
    Vit model(vc);
    std::vector<DigitImage> images;
    for (arma::uword i = 0; i < b.batch; ++i) images.push_back(digit_image(i));
    const arma::mat patches = course::patches_of(images, vc.patch);
    // Its work: an encoder-only model of the same layers over 17 rows, plus the patch
    // projection on 16 of them and the head on one.
    ModelConfig c;
    static_cast<LayerConfig&>(c) = vc.layer_config();
    c.architecture = Architecture::encoder_only;
    c.encoder_layers = vc.layers;
    c.decoder_layers = 0;
    c.src_vocab_size = vc.classes;
    c.max_positions = b.seq_len;
    c.pooler = false;
    const double gflop = forward_gflop(c, b) +
                         2e-9 * static_cast<double>(b.batch) *
                             static_cast<double>(vc.num_patches() * vc.patch_pixels() * vc.d_model +
                                                 vc.d_model * vc.classes);
    bench_parts(
        b, gflop, model, [&] { model.forward(patches, b.batch); }, images, course::vit_loss);
}

arma::uword parse_count(const char* option, const char* text, unsigned long most) {
    char* end = nullptr;
    const unsigned long n = std::strtoul(text, &end, 10);
    require(*end == '\0' && n >= 1 && n <= most,
            tr("{1}: '{2}' is not a number from 1 to {3}", option, text, most));
    return n;
}

}  // namespace

int run(int argc, char** argv) {
    std::vector<std::string> wanted;
    const std::vector<BenchConfig> configs = {
        {"lesson", 8, 2, 32, 2, 16, 8, 1000, 20},  {"dates", 32, 4, 64, 2, 16, 32, 71, 10},
        {"base", 512, 8, 2048, 6, 64, 8, 1000, 3}, {"gpt", 64, 4, 256, 2, 64, 32, 1592, 5},
        {"bert", 64, 4, 256, 2, 64, 32, 1592, 5},  {"positions", 32, 4, 64, 2, 14, 32, 12, 10},
        {"vit", 32, 2, 64, 2, 17, 64, 10, 10},
    };
    std::string names;
    for (const BenchConfig& c : configs) names += (names.empty() ? "" : ", ") + c.name;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--quick") {
            settings.quick = true;
        } else if (arg == "--cpu") {
            settings.cpu_time = true;
        } else if (arg == "--no-peak") {
            settings.peak = false;
        } else if (arg == "--lang") {
            ++i;  // read, and checked, by guarded_main
        } else if (arg.rfind("--lang=", 0) == 0) {
            continue;
        } else if (arg == "--threads" || arg == "--parts" || arg == "--repeats") {
            require(i + 1 < argc, tr("{1} needs a number", arg));
            const arma::uword n = parse_count(arg.c_str(), argv[++i], 64);
            if (arg == "--threads") settings.threads = static_cast<int>(n);
            if (arg == "--parts") settings.parts = n;
            if (arg == "--repeats") settings.repeats = n;
        } else if (arg == "--help" || arg == "-h") {
            const std::string help[] = {
                tr("usage: bench [--threads N] [--parts P] [--quick] [--cpu] [--repeats R] "
                   "[CONFIG …]"),
                tr("CONFIG: {1} (default: all)", names),
                tr("--threads N: use at most N threads in all (default 1)"),
                // TRANSLATORS: two lines, the second indented.
                tr("--parts P: a step's batch cut into P ≤ N parts, one BLAS thread each\n"
                   "  (default N; 1: one part on N BLAS threads)"),
                tr("--quick: fewer repetitions; --repeats R: R timed repetitions each"),
                tr("--cpu: process CPU time instead of wall-clock time"),
                tr("--no-peak: skip the dgemm peak (to profile a configuration alone)"),
                // TRANSLATORS: two lines; the words in quotes are the output's columns.
                tr("prints 'peak THREADS N median min max' (dgemm GFLOP/s), then per config\n"
                   "'CONFIG fwd_ms median min max, step_ms median min max, fwd_GFLOP step_GFLOP "
                   "parts blas_threads'")};
            for (const std::string& line : help) std::printf("%s\n", line.c_str());
            return 0;
        } else {
            const bool known = std::any_of(configs.begin(), configs.end(),
                                           [&](const BenchConfig& c) { return c.name == arg; });
            require(known, tr("unknown option or configuration '{1}' (expected {2})", arg, names));
            wanted.push_back(arg);
        }
    }
    require(settings.parts <= static_cast<arma::uword>(settings.threads),
            tr("--parts {1} is more than --threads {2} (each part needs a thread)", settings.parts,
               settings.threads));
    if (settings.peak) bench_peak();
    for (BenchConfig b : configs) {
        if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), b.name) == wanted.end())
            continue;
        if (settings.quick) b.repeats = b.name == "base" ? 1 : 3;
        if (settings.repeats > 0) b.repeats = settings.repeats;
        if (b.name == "gpt")
            bench_gpt(b);
        else if (b.name == "bert")
            bench_bert(b);
        else if (b.name == "positions")
            bench_positions(b);
        else if (b.name == "vit")
            bench_vit(b);
        else
            bench_transformer(b);
    }
    return 0;
}

int main(int argc, char** argv) { return cli::guarded_main(argc, argv, run); }
