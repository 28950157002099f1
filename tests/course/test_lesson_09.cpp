// Lesson 09's own work: the most likely tokens, greedy decoding from one encoder pass,
// the embedding rows one training step moves, and the training options' own checks.
#include "course/lesson_09.hpp"

#include "core/error.hpp"
#include "core/params.hpp"
#include "core/random.hpp"
#include "nn/multi_head_attention.hpp"
#include "ops/softmax.hpp"
#include "support/model_helpers.hpp"
#include "support/table_column.hpp"
#include "train/trainer.hpp"

#include "support/catch.hpp"

using namespace tfm;
using namespace tfm::course;

TEST_CASE("top_k lists the most likely tokens first, ties by the lower id") {
    const arma::rowvec p = {0.1, 0.4, 0.1, 0.4};
    const std::vector<TokenProbability> top = top_k(p, 3);
    REQUIRE(top.size() == 3);
    CHECK(top[0].id == 1);
    CHECK(top[1].id == 3);
    CHECK(top[2].id == 0);
    CHECK(top_k(p, 9).size() == 4);
}

TEST_CASE("changed_rows names exactly the rows that differ") {
    arma::mat a(4, 3, arma::fill::zeros);
    arma::mat b = a;
    b(1, 2) = 1e-300;
    b(3, 0) = -1.0;
    CHECK(changed_rows(a, b) == std::vector<arma::uword>{1, 3});
}

TEST_CASE("greedy decoding from one encoder pass writes what greedy_decode writes") {
    const Task task("reverse");
    set_seed(3);
    Transformer model(test::tiny_task_config(task));
    const Example input = task.from_source("1234");
    const std::vector<DecodeStep> reference =
        greedy_decode(model, input.src, Vocab::bos, Vocab::eos, 6);
    const Decoding d = decode_greedily(model, model.encode(input.src), 6);
    REQUIRE(d.steps.size() == reference.size());
    for (std::size_t i = 0; i < reference.size(); ++i) {
        CHECK(d.steps[i].token == reference[i].token);
        CHECK(d.steps[i].probability == Approx(reference[i].probability).epsilon(1e-12));
    }
    CHECK(d.tgt_in.size() == d.decoded.size() + 1);
    const arma::mat logits = model.forward(input.src, d.tgt_in);
    CHECK(arma::approx_equal(d.logits, logits, "absdiff", 1e-12));
    const TextTable t = decoding_table(task.vocab(), d);
    CHECK(test::column(t, "step").size() == d.steps.size());
}

TEST_CASE(
    "one training step moves the embedding rows of the batch's tokens and inference moves "
    "nothing") {
    const Task task("copy");
    set_seed(4);
    Transformer model(test::tiny_task_config(task));
    const std::vector<arma::mat> before = param_values(model);
    model.forward(task.from_source("12").src, {Vocab::bos});
    TrainOptions options = task_train_options(task);
    options.batch_size = 2;
    const EmbeddingStep e =
        embedding_rows_after_one_step(model, before, task, task.vocab(), options);
    CHECK(e.changed_by_inference == 0);
    CHECK(e.tensors == before.size());
    CHECK(e.batch_size == 2);
    REQUIRE(e.table.rows.size() == 2);
    CHECK(std::stoul(e.table.rows[0][2]) >= 1);
    CHECK(std::stoul(e.table.rows[0][2]) + std::stoul(e.table.rows[0][3]) == task.vocab().size());
}

TEST_CASE("training options out of range are rejected, naming the option") {
    TrainOptions o;
    CHECK_NOTHROW(o.validate());
    o.parts = 0;
    CHECK_THROWS_WITH(o.validate(), Catch::Contains("--parts"));
    o = TrainOptions();
    o.label_smoothing = 1.0;
    CHECK_THROWS_AS(o.validate(), InputError);
    o = TrainOptions();
    o.steps = 0;
    CHECK_THROWS_WITH(o.validate(), Catch::Contains("--steps"));
}

TEST_CASE("lesson 09's random model draws every tensor by its name from --seed") {
    // The self-attention of encoder layer 0, drawn alone under its canonical names, is the
    // one inside the random full model of the same sizes: lessons 02-04 hold this module.
    ModelRequest request;
    request.task = "dates";
    request.random_weights = true;
    request.seed = 7;
    request.config = task_model_config(Task("dates"));
    LessonModel m = load_lesson_model(request);
    MultiHeadAttention alone(m.config.d_model, m.config.num_heads);
    ParamList params;
    alone.params("encoder.layers.0.self_attn.", params);
    draw_params(params, 7);
    CHECK(arma::approx_equal(alone.wq.weight, m.model.encoder.layers.at(0).self_attn.wq.weight,
                             "absdiff", 0.0));
    CHECK(arma::approx_equal(alone.wv.bias, m.model.encoder.layers.at(0).self_attn.wv.bias,
                             "absdiff", 0.0));
    // Another seed, other numbers; the same seed twice, the same model.
    request.seed = 8;
    const LessonModel other = load_lesson_model(request);
    CHECK_FALSE(
        arma::approx_equal(other.model.src_embed.weight, m.model.src_embed.weight, "absdiff", 0.0));
    request.seed = 7;
    const LessonModel again = load_lesson_model(request);
    CHECK(
        arma::approx_equal(again.model.generator.weight, m.model.generator.weight, "absdiff", 0.0));
}
