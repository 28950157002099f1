// Data parallelism must not change what training computes: the parts' gradients add up to
// the whole batch's gradient, and threads or no threads give the same bits.
#include "core/error.hpp"
#include "core/random.hpp"
#include "support/model_helpers.hpp"
#include "train/data_parallel.hpp"
#include "train/tasks.hpp"
#include "train/trainer.hpp"

#include "support/catch.hpp"

using namespace tfm;

namespace {

Batch sample_batch(const Task& task, std::size_t n, std::uint64_t seed) {
    return make_batch(test::sample_examples(task, seed, n));
}

}  // namespace

TEST_CASE("a slice of a batch keeps its pairs and counts their real tokens", "[train][parallel]") {
    const Task task("dates");
    const Batch batch = sample_batch(task, 5, 3);
    const Batch part = slice_batch(batch, 1, 3);
    REQUIRE(part.size() == 2);
    CHECK(part.src[0] == batch.src[1]);
    CHECK(part.tgt_out[1] == batch.tgt_out[2]);
    arma::uword src = 0, tgt = 0;
    for (std::size_t b = 0; b < 5; ++b) {
        const Batch one = slice_batch(batch, b, b + 1);
        src += one.src_tokens;
        tgt += one.tgt_tokens;
    }
    CHECK(src == batch.src_tokens);
    CHECK(tgt == batch.tgt_tokens);
    CHECK_THROWS_AS(slice_batch(batch, 3, 3), InputError);
    CHECK_THROWS_AS(slice_batch(batch, 4, 6), InputError);
}

TEST_CASE("the parts' gradients add up to the whole batch's gradient", "[train][parallel]") {
    const Task task("dates");
    set_seed(11);
    Transformer model(test::tiny_task_config(task));
    const Batch batch = sample_batch(task, 7, 5);  // 7 pairs: parts of 2, 2 and 3
    const double n = static_cast<double>(batch.tgt_tokens);

    model.zero_grad();
    const double whole_loss = accumulate_gradients(model, batch, n);
    const std::vector<arma::mat> whole = test::gradient_copies(model.params());

    for (const arma::uword parts : {1u, 3u, 10u}) {
        DataParallel parallel(model, parts);
        model.zero_grad();
        const double loss = parallel.accumulate(batch, n);
        const std::vector<arma::mat> split = test::gradient_copies(model.params());
        INFO(parts << " parts");
        CHECK(loss == Approx(whole_loss).epsilon(1e-12));
        const ParamList params = model.params();
        for (std::size_t i = 0; i < params.size(); ++i) {
            INFO(params[i].name);
            CHECK(arma::approx_equal(split[i], whole[i], "absdiff", 1e-12));
        }
    }
}

TEST_CASE("data parallelism gives the same bits with threads and without", "[train][parallel]") {
    const Task task("copy");
    set_seed(12);
    Transformer model(test::tiny_task_config(task));
    const Batch batch = sample_batch(task, 8, 6);
    DataParallel threaded(model, 2, true), sequential(model, 2, false);

    model.zero_grad();
    const double a = threaded.accumulate(batch, 1.0);
    const std::vector<arma::mat> ga = test::gradient_copies(model.params());
    model.zero_grad();
    const double b = sequential.accumulate(batch, 1.0);
    const std::vector<arma::mat> gb = test::gradient_copies(model.params());
    CHECK(a == b);
    for (std::size_t i = 0; i < ga.size(); ++i)
        CHECK(arma::approx_equal(ga[i], gb[i], "absdiff", 0.0));
}

TEST_CASE("data parallelism reads the model's current weights every time", "[train][parallel]") {
    // The replicas are copies; a step that changed the model must reach them.
    const Task task("copy");
    set_seed(13);
    Transformer model(test::tiny_task_config(task));
    const Batch batch = sample_batch(task, 4, 7);
    DataParallel parallel(model, 2);
    model.generator.bias.fill(0.5);
    model.zero_grad();
    const double via_parts = parallel.accumulate(batch, 1.0);
    model.zero_grad();
    const double direct = accumulate_gradients(model, batch, 1.0);
    CHECK(via_parts == Approx(direct).epsilon(1e-12));
}
