// make bench: the time of one forward pass and of one full training step (forward +
// cross-entropy + backward + Adam) of the encoder–decoder Transformer, on a batch of
// random token sequences, for five configurations:
//   config  what it is                  d_model  heads  d_ff  layers  seq  batch
//   lesson  the lessons' small default        8      2    32     2+2   16      8
//   dates   lesson 09's trained model        32      4    64     2+2   16     32
//   base    Transformer-base sized          512      8  2048     6+6   64      8
//   gpt     lesson 11's GPT, as it trains    64      4   256       2   64     32
//   bert    lesson 12's BERT, as it trains   64      4   256       2   64     32
// Vocabulary 1,000 for lesson/base, 71 for dates, 1,592 (the poems') for gpt/bert. The
// GPT's step is the causal-LM loss over every position, BERT's the masked-LM loss over
// the 15% chosen by its recipe; both as train_lm and train_mlm run them (one model, the
// BLAS threads, no clipping here). Prints one line per configuration:
//   CONFIG forward_ms step_ms
// (the median of several repetitions), which bench/run.sh sets beside PyTorch's.
//
//   build/tools/bench [--quick] [--cpu] [--parts N] [CONFIG …]
#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "model/bert.hpp"
#include "model/gpt.hpp"
#include "model/transformer.hpp"
#include "train/adam.hpp"
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
#include <string>
#include <vector>

using namespace tfm;

namespace {

struct BenchConfig {
    std::string name;
    arma::uword d_model, heads, d_ff, layers, seq_len, batch, vocab, repeats;
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// Wall-clock milliseconds, or with --cpu the CPU time of the whole process (every thread):
// on a machine busy with other work the CPU time still shows what our code costs.
bool use_cpu_time = false;
arma::uword parts = TrainOptions().parts;

double now_ms() {
    if (use_cpu_time) {
        timespec ts{};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return 1e3 * static_cast<double>(ts.tv_sec) + 1e-6 * static_cast<double>(ts.tv_nsec);
    }
    return std::chrono::duration<double, std::milli>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void bench(const BenchConfig& b) {
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
    // The training step as the trainer runs it: the batch cut into `parts` run side by side.
    Batch batch;
    batch.src = src;
    batch.tgt_in = tgt;
    batch.tgt_out = tgt;
    batch.src_tokens = batch.tgt_tokens = b.batch * b.seq_len;
    // All forward passes first, then all steps, each after one warm-up repetition: the
    // forward pass uses OpenBLAS's threads and the step the trainer's data parallelism
    // (data_parallel.hpp), each timed in its steady state, as in inference and in training.
    std::vector<double> forward_ms, step_ms;
    for (arma::uword r = 0; r < b.repeats + 1; ++r) {
        const double t0 = now_ms();
        model.forward_batch(src, tgt);
        if (r > 0) forward_ms.push_back(now_ms() - t0);
    }
    DataParallel parallel(model, parts);  // from here on the cores belong to the parts
    for (arma::uword r = 0; r < b.repeats + 1; ++r) {
        const double t0 = now_ms();
        model.zero_grad();
        parallel.accumulate(batch, static_cast<double>(b.batch * b.seq_len));
        adam.step(1e-4);
        if (r > 0) step_ms.push_back(now_ms() - t0);
    }
    std::printf("%s %.3f %.3f\n", b.name.c_str(), median(forward_ms), median(step_ms));
    std::fflush(stdout);
}

// Random character ids (5 … vocab−1) after <bos>: one sequence of `length` ids.
TokenIds random_poem_piece(arma::uword length, arma::uword vocab) {
    const arma::uvec ids = arma::randi<arma::uvec>(length, arma::distr_param(5, int(vocab) - 1));
    TokenIds out(ids.begin(), ids.end());
    out.front() = Vocab::bos;
    return out;
}

// Lesson 11's GPT or lesson 12's BERT at the lesson's size, on batch pieces of seq_len
// positions: the forward pass, and the step (loss, backward, Adam) its training takes.
template <class Model, class Loss>
void bench_poem_model(const BenchConfig& b, Model& model, const std::vector<TokenIds>& inputs,
                      Loss loss) {
    Adam adam(model.params());
    std::vector<double> forward_ms, step_ms;
    for (arma::uword r = 0; r < b.repeats + 1; ++r) {
        const double t0 = now_ms();
        model.forward(inputs);
        if (r > 0) forward_ms.push_back(now_ms() - t0);
    }
    for (arma::uword r = 0; r < b.repeats + 1; ++r) {
        const double t0 = now_ms();
        model.zero_grad();
        CrossEntropy ce = loss();
        ce.dlogits /= static_cast<double>(std::max<arma::uword>(1, ce.count));
        model.backward(ce.dlogits);
        adam.step(1e-4);
        if (r > 0) step_ms.push_back(now_ms() - t0);
    }
    std::printf("%s %.3f %.3f\n", b.name.c_str(), median(forward_ms), median(step_ms));
    std::fflush(stdout);
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
    bench_poem_model(b, model, inputs, [&] { return lm_loss(model, windows); });
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
    bench_poem_model(b, model, inputs, [&] { return mlm_loss(model, batch); });
}

}  // namespace

int run(int argc, char** argv) {
    bool quick = false;
    std::vector<std::string> wanted;
    const std::vector<BenchConfig> configs = {
        {"lesson", 8, 2, 32, 2, 16, 8, 1000, 20},  {"dates", 32, 4, 64, 2, 16, 32, 71, 10},
        {"base", 512, 8, 2048, 6, 64, 8, 1000, 3}, {"gpt", 64, 4, 256, 2, 64, 32, 1592, 5},
        {"bert", 64, 4, 256, 2, 64, 32, 1592, 5},
    };
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--quick") {
            quick = true;
        } else if (arg == "--cpu") {
            use_cpu_time = true;
        } else if (arg == "--parts") {
            require(i + 1 < argc, "--parts needs a number");
            char* end = nullptr;
            const unsigned long n = std::strtoul(argv[++i], &end, 10);
            require(*end == '\0' && n >= 1 && n <= 64,
                    std::string("--parts: '") + argv[i] + "' is not a number from 1 to 64");
            parts = n;
        } else if (arg == "--help" || arg == "-h") {
            std::printf(
                "usage: bench [--quick] [--cpu] [--parts N] [lesson|dates|base|gpt|bert …]\n"
                "prints CONFIG forward_ms step_ms (medians) per configuration\n"
                "--cpu: process CPU time instead of wall-clock time\n"
                "--parts N: cut each batch into N parts run side by side (default: the "
                "trainer's)\n");
            return 0;
        } else {
            const bool known = std::any_of(configs.begin(), configs.end(),
                                           [&](const BenchConfig& c) { return c.name == arg; });
            require(known, "unknown option or configuration '" + arg +
                               "' (expected lesson, dates, base, gpt or bert)");
            wanted.push_back(arg);
        }
    }
    for (BenchConfig b : configs) {
        if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), b.name) == wanted.end())
            continue;
        if (quick) b.repeats = b.name == "base" ? 1 : 3;
        if (b.name == "gpt")
            bench_gpt(b);
        else if (b.name == "bert")
            bench_bert(b);
        else
            bench(b);
    }
    return 0;
}

int main(int argc, char** argv) { return cli::guarded_main(argc, argv, run); }
