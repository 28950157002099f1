#include "course/lesson_13.hpp"

#include "core/error.hpp"
#include "core/params.hpp"
#include "lessons/run_lesson.hpp"
#include "nn/param_gradcheck.hpp"
#include "train/cross_entropy.hpp"

#include "support/catch.hpp"

#include <cmath>
#include <set>

using namespace tfm;
using namespace tfm::course;

namespace {

PositionModelConfig tiny(PositionKind kind) {
    PositionModelConfig c;
    c.kind = kind;
    c.d_model = 8;
    c.num_heads = 2;
    c.d_ff = 12;
    c.layers = 1;
    return c;
}

}  // namespace

TEST_CASE("the reverse task: <bos> digits <eos> in, the digits reversed out", "[lesson13]") {
    const ReverseExample e = reverse_example("3141");
    CHECK(e.input == TokenIds{kBos, 3, 1, 4, 1, kEos});
    CHECK(e.target == TokenIds{kBos, 1, 4, 1, 3, kBos});
    CHECK_THROWS_AS(reverse_example("31a"), InputError);
}

TEST_CASE("held-out strings: different, of every length, at most a fifth of those there are",
          "[lesson13]") {
    const HeldOut h = held_out_strings(kHeldOutSeed, kHeldOutPerLength);
    REQUIRE(h.by_length.size() == kTestMaxLength + 1);
    CHECK(h.by_length[1].size() == 2);
    CHECK(h.by_length[2].size() == 20);
    for (arma::uword n = 3; n <= kTestMaxLength; ++n) {
        CHECK(h.by_length[n].size() == kHeldOutPerLength);
        for (const std::string& s : h.by_length[n]) CHECK(s.size() == n);
        CHECK(std::set<std::string>(h.by_length[n].begin(), h.by_length[n].end()).size() ==
              h.by_length[n].size());
    }
    CHECK(h.contains(h.by_length[7][3]));
    CHECK(!h.contains("x"));
}

TEST_CASE("the lesson's model with each encoding: backward matches central differences",
          "[lesson13][gradcheck]") {
    const std::vector<TokenIds> batch = {reverse_example("3141").input,
                                         reverse_example("2718").input};
    TokenIds targets;
    for (const char* d : {"3141", "2718"}) {
        const TokenIds t = reverse_example(d).target;
        targets.insert(targets.end(), t.begin(), t.end());
    }
    for (PositionKind kind : position_kinds()) {
        PositionModel model(tiny(kind));
        draw_params(model.params(), 7);
        const auto loss = [&] { return cross_entropy(model.forward(batch), targets, kBos).total; };
        model.zero_grad();
        model.backward(cross_entropy(model.forward(batch), targets, kBos).dlogits);
        INFO(to_string(kind));
        test::check_param_grads(model.params(), loss);
    }
}

TEST_CASE("without positions the model is permutation-equivariant; with any, it is not",
          "[lesson13][equivariance]") {
    for (PositionKind kind : position_kinds()) {
        PositionModel model(tiny(kind));
        draw_params(model.params(), 3);
        const double gap = equivariance_gap(model, "31415926", 5, 1);
        INFO(to_string(kind) << ": " << gap);
        if (kind == PositionKind::none)
            CHECK(gap <= 1e-13);
        else
            CHECK(gap > 1e-4);
    }
}

TEST_CASE("RoPE's dot products are constant along diagonals; sinusoidal's shift is exact",
          "[lesson13][rope]") {
    const arma::rowvec q = arma::randn<arma::rowvec>(8), k = arma::randn<arma::rowvec>(8);
    for (RopeLayout layout : {RopeLayout::interleaved, RopeLayout::half_split}) {
        const arma::mat d = rope_dot_products(q, k, 24, layout);
        CHECK(diagonal_deviation(d) <= 1e-12);
        CHECK(std::abs(d(0, 0) - d(3, 0)) > 1e-3);
    }
    // diagonal_deviation finds a matrix that is not constant along its diagonals.
    CHECK(diagonal_deviation(arma::mat{{1, 2}, {3, 1.5}}) == 0.5);
    CHECK(sinusoidal_shift_residual(1, 32, 100) <= 1e-13);
    CHECK(sinusoidal_shift_residual(7, 32, 100) <= 1e-13);
}

TEST_CASE(
    "converting the RoPE layout leaves the model's logits unchanged; reading it in the "
    "other layout does not",
    "[lesson13][rope]") {
    PositionModel model(tiny(PositionKind::rope));
    draw_params(model.params(), 5);
    const std::vector<TokenIds> batch = {reverse_example("1234567").input};
    const arma::mat before = model.forward(batch);
    model.set_layout(RopeLayout::half_split);
    CHECK(arma::abs(model.forward(batch) - before).max() > 1e-4);
    model.set_layout(RopeLayout::interleaved);
    model.convert_layout(RopeLayout::half_split);
    CHECK(arma::abs(model.forward(batch) - before).max() <= 1e-12);
    model.convert_layout(RopeLayout::interleaved);
    const LayoutGaps g = layout_gaps(model, "1234567");
    CHECK(g.permuted <= 1e-12);
    CHECK(g.unpermuted > 1e-4);
    CHECK(arma::approx_equal(model.forward(batch), before, "absdiff", 1e-12));  // left as it was
}

TEST_CASE("a checkpoint round trip, and a checkpoint of the wrong encoding refused",
          "[lesson13][checkpoint]") {
    const std::string dir = test::temp_dir("lesson13");
    PositionModelConfig config;
    config.kind = PositionKind::learned;
    PositionModel model(config);
    draw_params(model.params(), 9);
    const std::string path = dir + "/" + checkpoint_name(PositionKind::learned);
    save_position_model(path, model, PositionTraining{});
    const std::unique_ptr<PositionModel> loaded = load_position_model(path, PositionKind::learned);
    const std::vector<TokenIds> batch = {reverse_example("90210").input};
    CHECK(arma::approx_equal(loaded->forward(batch), model.forward(batch), "absdiff", 0.0));
    CHECK_THROWS_WITH(load_position_model(path, PositionKind::rope),
                      Catch::Contains("its position encoding is 'learned'"));
}

TEST_CASE("training lowers the loss, and accuracy is counted digit by digit", "[lesson13][train]") {
    const HeldOut h = held_out_strings(kHeldOutSeed, 10);
    PositionModelConfig config;  // the lesson's sizes
    config.kind = PositionKind::sinusoidal;
    PositionModel model(config);
    draw_params(model.params(), 11);
    PositionTraining t;
    t.steps = 300;
    t.batch = 16;
    t.warmup = 30;
    const PositionTrainReport r = train_reverse(model, h, t, nullptr);
    INFO("loss of the last tenth " << r.final_loss << " (uniform guess " << std::log(10.0) << ")");
    CHECK(r.final_loss < 0.85 * std::log(10.0));
    // Length 1 is its own reverse: a model that copies gets it right; the count is by digit.
    const Accuracy a = reverse_accuracy(model, h, 1, 1);
    CHECK(a.digits >= 0.0);
    CHECK(a.digits <= 1.0);
    CHECK(a.strings == a.digits);  // one digit per string
}

TEST_CASE("the accuracy table: one row per model, one column per length bucket",
          "[lesson13][table]") {
    const HeldOut h = held_out_strings(kHeldOutSeed, 5);
    std::vector<std::unique_ptr<PositionModel>> models;
    for (PositionKind kind : {PositionKind::none, PositionKind::rope}) {
        models.push_back(std::make_unique<PositionModel>(tiny(kind)));
        draw_params(models.back()->params(), 2);
    }
    const std::vector<AccuracyRow> rows = accuracy_rows(models, h);
    const TextTable t = accuracy_table(rows);
    CHECK(t.header.size() == length_buckets().size() + 2);
    REQUIRE(t.rows.size() == 2);
    CHECK(t.rows[0][0] == "none");
    CHECK(t.rows[1][0] == "rope");
    CHECK(accuracy_sentence(rows).find("None, which cannot tell") != std::string::npos);
}
