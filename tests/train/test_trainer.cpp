// Training the full model: gradient accumulation, padding, the first loss, the
// article's claim about embeddings, reproducibility, a short run that learns to copy.
#include "core/random.hpp"
#include "io/safetensors.hpp"
#include "support/model_helpers.hpp"
#include "train/checkpoint.hpp"
#include "train/cross_entropy.hpp"
#include "train/trainer.hpp"

#include "support/catch.hpp"

#include <unistd.h>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>

using namespace tfm;
using tfm::test::gradient_copies;
using tfm::test::sample_examples;
using tfm::test::tiny_task_config;

namespace {

std::vector<arma::mat> values_of(Transformer& model) {
    std::vector<arma::mat> out;
    for (const Param& p : model.params()) out.push_back(*p.value);
    return out;
}

void check_same(Transformer& model, const std::vector<arma::mat>& a,
                const std::vector<arma::mat>& b, double tol) {
    const ParamList params = model.params();
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO(params[i].name << "\n" << a[i] << "vs\n" << b[i]);
        CHECK(arma::approx_equal(a[i], b[i], "absdiff", tol));
    }
}

}  // namespace

TEST_CASE("two half-batches accumulate to the gradient of the whole batch") {
    const Task task("dates");
    Transformer model(tiny_task_config(task));
    const std::vector<Example> ex = sample_examples(task, 11, 6);
    const Batch whole = make_batch(ex);
    const Batch first = make_batch({ex[0], ex[1], ex[2]});
    const Batch second = make_batch({ex[3], ex[4], ex[5]});
    const double n = static_cast<double>(whole.tgt_tokens);
    REQUIRE(first.tgt_tokens + second.tgt_tokens == whole.tgt_tokens);

    model.zero_grad();
    const double loss_whole = accumulate_gradients(model, whole, n);
    const std::vector<arma::mat> g_whole = gradient_copies(model.params());

    model.zero_grad();
    const double loss_halves =
        accumulate_gradients(model, first, n) + accumulate_gradients(model, second, n);
    CHECK(loss_halves == Approx(loss_whole).epsilon(1e-12));
    check_same(model, gradient_copies(model.params()), g_whole, 1e-12);
}

TEST_CASE(
    "gradients are zeroed between steps: the second batch's gradient does not carry the first's") {
    const Task task("copy");
    Transformer model(tiny_task_config(task));
    const Batch a = make_batch(sample_examples(task, 1, 4));
    const Batch b = make_batch(sample_examples(task, 2, 4));

    model.zero_grad();
    accumulate_gradients(model, b, static_cast<double>(b.tgt_tokens));
    const std::vector<arma::mat> g_b = gradient_copies(model.params());

    model.zero_grad();
    accumulate_gradients(model, a, static_cast<double>(a.tgt_tokens));
    model.zero_grad();
    accumulate_gradients(model, b, static_cast<double>(b.tgt_tokens));
    check_same(model, gradient_copies(model.params()), g_b, 0.0);

    // Without zeroing, backward adds: the gradient doubles.
    accumulate_gradients(model, b, static_cast<double>(b.tgt_tokens));
    std::vector<arma::mat> doubled;
    for (const arma::mat& g : g_b) doubled.push_back(2.0 * g);
    check_same(model, gradient_copies(model.params()), doubled, 1e-12);
}

TEST_CASE("padding a pair inside a batch changes neither its loss nor its gradients") {
    const Task task("dates");
    Transformer model(tiny_task_config(task));
    TaskRng rng(4);
    Example shortest = task.from_source("20261125");
    shortest.tgt = task.vocab().encode(tokenize_chars("2026-11-25"));
    Example longest = task.from_source("Wednesday 25th of November 2026");
    longest.tgt = shortest.tgt;
    const Batch padded = make_batch({shortest, longest});
    REQUIRE(padded.src[0].size() == longest.src.size());

    model.zero_grad();
    const double loss_padded = accumulate_gradients(model, padded, 1.0);
    const std::vector<arma::mat> g_padded = gradient_copies(model.params());

    model.zero_grad();
    const double loss_alone = accumulate_gradients(model, make_batch({shortest}), 1.0) +
                              accumulate_gradients(model, make_batch({longest}), 1.0);
    CHECK(loss_padded == Approx(loss_alone).epsilon(1e-12));
    check_same(model, gradient_copies(model.params()), g_padded, 1e-12);
}

TEST_CASE("the untrained model's first evaluated loss is within 10% of ln(vocabulary size)") {
    for (const std::string name : {"dates", "copy"}) {
        const Task task(name);
        set_seed(42);
        Transformer model(task_model_config(task));
        TaskRng rng(9);
        const double loss = evaluate_loss(model, task.sample_distinct(rng, 100));
        const double ln_v = std::log(static_cast<double>(task.vocab().size()));
        INFO(name << ": first loss " << loss << ", ln V = " << ln_v);
        CHECK(std::abs(loss - ln_v) / ln_v < 0.10);
    }
}

TEST_CASE(
    "one training step changes exactly the embedding rows of the batch's tokens, inference none") {
    const Task task("dates");
    Transformer model(tiny_task_config(task));
    TrainOptions options;
    options.batch_size = 4;
    options.eval_size = 10;
    Trainer trainer(model, task, options);
    const Batch batch = trainer.next_batch();
    std::set<arma::uword> src_ids, tgt_ids;
    for (const TokenIds& s : batch.src)
        for (arma::uword id : s)
            if (id != Vocab::pad) src_ids.insert(id);
    for (const TokenIds& t : batch.tgt_in)
        for (arma::uword id : t)
            if (id != Vocab::pad) tgt_ids.insert(id);

    const arma::mat src_before = model.src_embed.weight, tgt_before = model.tgt_embed.weight;
    trainer.step(batch);
    std::set<arma::uword> src_changed, tgt_changed;
    for (arma::uword r = 0; r < src_before.n_rows; ++r) {
        if (arma::any(model.src_embed.weight.row(r) != src_before.row(r))) src_changed.insert(r);
        if (arma::any(model.tgt_embed.weight.row(r) != tgt_before.row(r))) tgt_changed.insert(r);
    }
    CHECK(src_changed == src_ids);
    CHECK(tgt_changed == tgt_ids);
    CHECK(src_changed.size() < src_before.n_rows);

    const std::vector<arma::mat> before = values_of(model);
    decode_ids(model, batch.src[0], 12);
    model.forward(batch.src[1], batch.tgt_in[1]);
    check_same(model, values_of(model), before, 0.0);
}

TEST_CASE("same seed, same weights after training; another seed differs") {
    const Task task("copy");
    TrainOptions options;
    options.steps = 5;
    options.batch_size = 4;
    options.eval_size = 5;
    const auto train_once = [&](std::uint64_t seed) {
        set_seed(seed);
        Transformer model(tiny_task_config(task));
        options.seed = seed;
        Trainer(model, task, options).run(nullptr);
        return values_of(model);
    };
    const std::vector<arma::mat> a = train_once(42), b = train_once(42), c = train_once(43);
    bool all_equal = true, any_differs = false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        all_equal = all_equal && arma::approx_equal(a[i], b[i], "absdiff", 0.0);
        any_differs = any_differs || !arma::approx_equal(a[i], c[i], "absdiff", 0.0);
    }
    CHECK(all_equal);
    CHECK(any_differs);
}

TEST_CASE("the held-out curve is measured without changing what training does") {
    const Task task("copy");
    TrainOptions options;
    options.steps = 6;
    options.batch_size = 4;
    options.eval_size = 5;
    options.log_every = 2;
    const auto train_once = [&](bool curve, TrainReport& report) {
        set_seed(42);
        Transformer model(tiny_task_config(task));
        options.held_out_curve = curve;
        report = Trainer(model, task, options).run(nullptr);
        return values_of(model);
    };
    TrainReport with, without;
    const std::vector<arma::mat> a = train_once(true, with), b = train_once(false, without);
    for (std::size_t i = 0; i < a.size(); ++i)
        CHECK(arma::approx_equal(a[i], b[i], "absdiff", 0.0));
    CHECK(with.final_loss == without.final_loss);
    // Step 0, then every log_every steps: 0, 2, 4, 6.
    REQUIRE(with.curve.size() == 4);
    CHECK(with.curve[0].step == 0);
    CHECK(with.curve[3].step == 6);
    CHECK(std::isnan(with.curve[0].train_loss));
    CHECK(with.curve[0].held_out_loss == with.initial_loss);
    CHECK(with.curve[3].held_out_loss == with.final_loss);
    CHECK(with.curve[3].exact_match == with.accuracy);
    CHECK(with.curve[2].learning_rate > 0.0);
    // Without the curve the held-out columns are NaN, the rest the same.
    REQUIRE(without.curve.size() == 4);
    CHECK(std::isnan(without.curve[2].held_out_loss));
    CHECK(without.curve[2].train_loss == with.curve[2].train_loss);
}

TEST_CASE("a short deterministic run learns to copy digit strings") {
    const Task task("copy");
    set_seed(42);
    ModelConfig config = task_model_config(task);
    config.encoder_layers = 1;
    config.decoder_layers = 1;
    Transformer model(config);
    TrainOptions options = task_train_options(task);
    options.steps = 600;
    options.batch_size = 16;
    options.eval_size = 100;
    const TrainReport report = Trainer(model, task, options).run(nullptr);
    INFO("loss " << report.initial_loss << " -> " << report.final_loss << ", exact match "
                 << report.accuracy);
    CHECK(report.final_loss < 0.1 * report.initial_loss);
    CHECK(report.accuracy >= 0.7);
}

TEST_CASE("a checkpoint round-trips its weights, configuration, task and vocabulary") {
    const Task task("dates");
    set_seed(5);
    Transformer model(tiny_task_config(task));
    char dir_template[] = "/tmp/tfm_ckpt_XXXXXX";
    REQUIRE(mkdtemp(dir_template) != nullptr);
    const std::string path = std::string(dir_template) + "/m.safetensors";
    save_checkpoint(path, model, task.vocab(), task.name(), {{"steps", "0"}});

    const CheckpointInfo info = read_checkpoint_info(path, ModelConfig{});
    CHECK(info.task == "dates");
    CHECK(info.metadata.at("steps") == "0");
    CHECK(info.config.d_model == 16);
    CHECK(info.config.num_heads == 2);
    CHECK(info.config.d_ff == 32);
    CHECK(info.config.encoder_layers == 1);
    CHECK(info.config.src_vocab_size == task.vocab().size());

    set_seed(6);
    Transformer loaded(info.config);
    load_params(path, loaded.params());
    check_same(model, values_of(loaded), values_of(model), 0.0);

    // One file: the vocabulary is in the metadata, nothing sits beside the weights.
    const Vocab vocab = read_checkpoint_vocab(path, info.metadata, Vocab());
    REQUIRE(vocab.size() == task.vocab().size());
    for (arma::uword id = 0; id < vocab.size(); ++id)
        CHECK(vocab.token(id) == task.vocab().token(id));
    CHECK_FALSE(std::ifstream(vocab_path_for(path)).good());
    CHECK(vocab_path_for("data/dates.safetensors") == "data/dates.vocab.txt");
    std::remove(path.c_str());
    rmdir(dir_template);
}
