// make bench: the time of one forward pass and of one full training step (forward +
// cross-entropy + backward + Adam) of the encoder–decoder Transformer, on a batch of
// random token sequences, for three configurations:
//   lesson  the lessons' small default   d_model 8,   2 heads, d_ff 32,   2+2 layers, seq 16, batch 8
//   dates   lesson 09's trained model     d_model 32,  4 heads, d_ff 64,   2+2 layers, seq 16, batch 32
//   base    Transformer-base sized        d_model 512, 8 heads, d_ff 2048, 6+6 layers, seq 64, batch 8
// Vocabulary 1,000 for lesson/base (71 for dates). Prints one line per configuration:
//   CONFIG forward_ms step_ms
// (the median of several repetitions), which bench/run.sh sets beside PyTorch's.
//
//   build/tools/bench [--quick] [--cpu] [CONFIG …]
#include "core/memory.hpp"
#include "core/random.hpp"
#include "nn/transformer.hpp"
#include "train/adam.hpp"
#include "train/cross_entropy.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
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

double now_ms() {
    if (use_cpu_time) {
        timespec ts{};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return 1e3 * static_cast<double>(ts.tv_sec) + 1e-6 * static_cast<double>(ts.tv_nsec);
    }
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch())
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
        const arma::uvec s = arma::randi<arma::uvec>(b.seq_len, arma::distr_param(4, int(b.vocab) - 1));
        const arma::uvec t = arma::randi<arma::uvec>(b.seq_len, arma::distr_param(4, int(b.vocab) - 1));
        src[i] = TokenIds(s.begin(), s.end());
        tgt[i] = TokenIds(t.begin(), t.end());
    }
    std::vector<double> forward_ms, step_ms;
    for (arma::uword r = 0; r < b.repeats + 1; ++r) {  // the first repetition warms up
        double t0 = now_ms();
        model.forward_batch(src, tgt);
        const double f = now_ms() - t0;

        t0 = now_ms();
        model.zero_grad();
        const arma::mat logits = model.forward_batch(src, tgt);
        TokenIds targets;
        for (const TokenIds& t : tgt) targets.insert(targets.end(), t.begin(), t.end());
        CrossEntropy ce = cross_entropy(logits, targets);
        ce.dlogits /= static_cast<double>(b.batch * b.seq_len);
        model.backward(ce.dlogits);
        adam.step(1e-4);
        const double s = now_ms() - t0;
        if (r > 0) {
            forward_ms.push_back(f);
            step_ms.push_back(s);
        }
    }
    std::printf("%s %.3f %.3f\n", b.name.c_str(), median(forward_ms), median(step_ms));
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    keep_freed_memory();
    bool quick = false;
    std::vector<std::string> wanted;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--quick") == 0) quick = true;
        else if (std::strcmp(argv[i], "--cpu") == 0) use_cpu_time = true;
        else if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            std::printf("usage: bench [--quick] [--cpu] [lesson|dates|base …]\n"
                        "prints CONFIG forward_ms step_ms (medians) per configuration\n"
                        "--cpu: process CPU time instead of wall-clock time\n");
            return 0;
        } else wanted.push_back(argv[i]);
    }
    const std::vector<BenchConfig> configs = {
        {"lesson", 8, 2, 32, 2, 16, 8, 1000, quick ? 3u : 20u},
        {"dates", 32, 4, 64, 2, 16, 32, 71, quick ? 3u : 10u},
        {"base", 512, 8, 2048, 6, 64, 8, 1000, quick ? 1u : 3u},
    };
    for (const BenchConfig& b : configs) {
        if (wanted.empty() || std::find(wanted.begin(), wanted.end(), b.name) != wanted.end()) bench(b);
    }
    return 0;
}
