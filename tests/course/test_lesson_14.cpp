#include "course/lesson_14.hpp"

#include "core/error.hpp"
#include "io/files.hpp"
#include "lessons/run_lesson.hpp"
#include "ops/patchify.hpp"

#include "support/catch.hpp"

#include <chrono>

using namespace tfm;
using namespace tfm::course;

TEST_CASE("the shipped ViT reaches 95% on the held-out digits (evaluated here)", "[lesson14]") {
    const std::unique_ptr<Vit> vit = load_vit(data_path(kVitCheckpoint));
    const DigitHeldOut held_out = digit_held_out(kDigitHeldOutSeed, kHeldOutPerDigit);
    const VitAccuracy a = held_out_accuracy(*vit, held_out);
    INFO(a.right << " of " << a.total);
    CHECK(a.total == 1000);
    CHECK(arma::accu(a.total_by_digit) == a.total);
    CHECK(arma::accu(a.right_by_digit) == a.right);
    CHECK(a.rate() >= 0.95);
    // Every digit is learned, not only most of them.
    for (arma::uword d = 0; d < kDigitClasses; ++d) CHECK(a.right_by_digit(d) >= 85);
}

TEST_CASE("a short training run from scratch improves held-out accuracy and saves, loads",
          "[lesson14][train]") {
    Vit vit(digit_vit_config());
    draw_params(vit.params(), 7);
    const DigitHeldOut held_out = digit_held_out(kDigitHeldOutSeed, 10);
    const double before = held_out_accuracy(vit, held_out).rate();
    VitTraining t;
    t.steps = 60;
    t.batch = 32;
    t.warmup = 10;
    t.seed = 7;
    const VitTrainReport r = train_vit(vit, held_out, t, nullptr);
    const double after = held_out_accuracy(vit, held_out).rate();
    INFO("before " << before << ", after " << after << ", loss " << r.final_loss);
    CHECK(after >= before + 0.2);
    CHECK(r.final_loss < std::log(10.0));  // below chance
    const std::string path = test::temp_dir("lesson14_ckpt") + "/vit.safetensors";
    save_vit(path, vit, t);
    const std::unique_ptr<Vit> back = load_vit(path);
    const arma::mat image = digit_image(12345).pixels;
    CHECK(arma::approx_equal(class_probabilities(*back, image), class_probabilities(vit, image),
                             "absdiff", 0.0));
}

TEST_CASE("load_vit refuses a checkpoint of another lesson", "[lesson14]") {
    CHECK_THROWS_WITH(load_vit(data_path("positions_rope.safetensors")),
                      Catch::Contains("not lesson 14's ViT"));
}

TEST_CASE("the [CLS] weights as the patch grid, and the overlay they make", "[lesson14]") {
    // [CLS] itself 0.2; patches p0 … p3 of a 2 × 2 grid 0.1, 0.4, 0.2, 0.1.
    const arma::rowvec a = {0.2, 0.1, 0.4, 0.2, 0.1};
    const arma::mat grid = patch_grid_weights(a, 2);
    CHECK(arma::approx_equal(grid, arma::mat{{0.1, 0.4}, {0.2, 0.1}}, "absdiff", 0.0));
    const arma::mat image(4, 4, arma::fill::ones);
    const arma::mat overlay = attention_overlay(image, a, 2);
    // Each pixel × its patch's weight / 0.4: the top-right patch stays at 1.
    CHECK(overlay(0, 3) == Approx(1.0));
    CHECK(overlay(0, 0) == Approx(0.25));
    CHECK(overlay(3, 0) == Approx(0.5));
    CHECK(shared_attention(a, a) == Approx(1.0));
    CHECK(shared_attention(a, arma::rowvec{0, 0.5, 0, 0.5, 0}) == Approx(0.3));  // 0.1 + 0.2
    CHECK_THROWS_AS(patch_grid_weights(arma::rowvec{0.5, 0.5}, 2), InputError);
    // The sentence follows the numbers: p1 is a's top patch, and the share decides the verb.
    CHECK(heads_sentence({a, a}) ==
          "Head 0 looks most at p1 (40.0%), head 1 looks most at p1 (40.0%); heads 0 and 1 "
          "share 100.0% of their attention (Σ min): here they look at much the same patches.");
    CHECK(heads_sentence({a, arma::rowvec{0, 0.5, 0, 0.5, 0}}).find("different parts") !=
          std::string::npos);
}

TEST_CASE("a sentence and an image through the same encoder: shapes, shares, answers",
          "[lesson14]") {
    const std::unique_ptr<Vit> vit = load_vit(data_path(kVitCheckpoint));
    const SentenceRows s = sentence_rows("the cat sat on the mat", 32, 42);
    CHECK(s.tokens.size() == 6);
    CHECK(s.x.n_rows == 6);
    CHECK(s.x.n_cols == 32);
    const arma::mat image = digit_image(digit_held_out(kDigitHeldOutSeed, 1).ids[7][0]).pixels;
    const SideBySide r = read_side_by_side(*vit, image, s.x);
    CHECK(r.image_x.n_rows == 17);
    CHECK(r.text_h.n_rows == 6);
    CHECK(r.joint_h.n_rows == 23);
    CHECK(arma::approx_equal(r.alone, class_probabilities(*vit, image), "absdiff", 0.0));
    // The words' share is a part of a distribution, and the image alone is not the joint
    // sequence: the words change the [CLS] row.
    for (double share : r.words_share) {
        CHECK(share > 0.0);
        CHECK(share < 1.0);
    }
    CHECK(arma::abs(r.joint - r.alone).max() > 0.0);
    CHECK(arma::abs(r.joint_h.rows(0, 16) - r.image_h).max() > 0.0);
}
