// Lesson 14 run as a learner runs it: the defaults on the shipped ViT (every printed figure
// is what the library computes from the file), the dumps, --train with a few steps writing
// a checkpoint that loads, and bad input.
#include "course/lesson_14.hpp"
#include "io/files.hpp"
#include "io/npy.hpp"
#include "io/table.hpp"
#include "lessons/run_lesson.hpp"
#include "ops/patchify.hpp"

#include "support/catch.hpp"

#include <chrono>

using namespace tfm;
using namespace tfm::course;
using namespace tfm::test;

namespace {

std::string percent(double x) { return printf_number(100 * x, "%.1f") + "%"; }

void check_bad_input(const std::vector<std::string>& args, const std::string& message) {
    const RunResult r = run_lesson("14_images", args, "NO_COLOR=1");
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(count_lines(r.err) == 2);
    CHECK(contains(r.err, "14_images: error: "));
    CHECK(contains(r.err, message));
    CHECK(contains(r.err, "Try '14_images --help'."));
    CHECK(r.out.empty());
}

}  // namespace

TEST_CASE("lesson 14 with its defaults prints what the shipped ViT computes, in under 5 s",
          "[lesson14]") {
    const auto start = std::chrono::steady_clock::now();
    const RunResult r = run_lesson("14_images", {}, "NO_COLOR=1");
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    INFO(r.out << r.err << "\n" << seconds << " s");
    REQUIRE(r.exit_code == 0);
    CHECK(seconds < 5.0);
    const std::unique_ptr<Vit> vit = load_vit(data_path(kVitCheckpoint));
    const DigitHeldOut held_out = digit_held_out(kDigitHeldOutSeed, kHeldOutPerDigit);
    const VitAccuracy a = held_out_accuracy(*vit, held_out);
    CHECK(says(r.out, "is right on " + std::to_string(a.right) + " (" + percent(a.rate()) + ")"));
    const DigitImage image = digit_image(held_out.ids[7][0]);
    const arma::rowvec p = class_probabilities(*vit, image.pixels);
    CHECK(says(r.out, "Predicted " + std::to_string(p.index_max()) +
                          " (p = " + printf_number(p.max(), "%.4f") + ")"));
    const arma::rowvec head0 = vit->cls_attention(1, 0), head1 = vit->cls_attention(1, 1);
    CHECK(says(r.out, heads_sentence({head0, head1})));
    CHECK(contains(r.out, "X [17 × 32]"));
    CHECK(contains(r.out, "patches [16 × 16]"));
    CHECK(says(r.out, "Multi-head attention does not by itself make a model multimodal"));
    CHECK(run_lesson("14_images", {}, "NO_COLOR=1").out == r.out);
}

TEST_CASE("lesson 14 dumps the image, its patches, X and the probabilities it prints",
          "[lesson14]") {
    const std::string dir = temp_dir("lesson14_dump");
    const RunResult r =
        run_lesson("14_images", {"--digit", "3", "--index", "12", "--dump-dir", dir}, "NO_COLOR=1");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const DigitHeldOut held_out = digit_held_out(kDigitHeldOutSeed, kHeldOutPerDigit);
    const DigitImage image = digit_image(held_out.ids[3][12]);
    CHECK(arma::approx_equal(load_npy(dir + "/image.npy"), image.pixels, "absdiff", 0.0));
    CHECK(arma::approx_equal(load_npy(dir + "/patches.npy"), patchify(image.pixels, 4), "absdiff",
                             0.0));
    const std::unique_ptr<Vit> vit = load_vit(data_path(kVitCheckpoint));
    const arma::rowvec p = class_probabilities(*vit, image.pixels);
    CHECK(arma::approx_equal(load_npy(dir + "/X.npy"), vit->tokens_, "absdiff", 0.0));
    CHECK(arma::approx_equal(load_npy(dir + "/output.npy"), arma::mat(p), "absdiff", 0.0));
    CHECK(contains(r.out, "image of a 3."));
}

TEST_CASE("lesson 14's sentence is lesson 01's X at --d-model 32", "[lesson14][chain]") {
    const std::string dir = temp_dir("lesson14_chain");
    const RunResult a = run_lesson("14_images", {"--dump-dir", dir + "/14"}, "NO_COLOR=1");
    const RunResult b =
        run_lesson("01_embedding", {"--d-model", "32", "--dump-dir", dir + "/01"}, "NO_COLOR=1");
    INFO(a.err << b.err);
    REQUIRE(a.exit_code == 0);
    REQUIRE(b.exit_code == 0);
    CHECK(arma::approx_equal(load_npy(dir + "/14/text_X.npy"), load_npy(dir + "/01/X.npy"),
                             "absdiff", 0.0));
}

TEST_CASE("lesson 14 --train trains the ViT and writes a checkpoint that loads", "[lesson14]") {
    const std::string dir = temp_dir("lesson14_train") + "/models";
    const RunResult r =
        run_lesson("14_images", {"--train", "--steps", "3", "--save-dir", dir}, "NO_COLOR=1");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "3 steps of 64 images each"));
    CHECK(contains(r.err, "vit step     3/3"));
    CHECK(contains(r.out, "this model is right on"));
    CHECK(load_vit(dir + "/" + kVitCheckpoint) != nullptr);
    // … and the lesson reads it back with --checkpoint.
    const RunResult back = run_lesson(
        "14_images", {"--checkpoint", dir + "/" + kVitCheckpoint, "--quiet"}, "NO_COLOR=1");
    INFO(back.err);
    CHECK(back.exit_code == 0);
}

TEST_CASE("lesson 14 refuses bad input with exit 2", "[lesson14]") {
    check_bad_input({"--digit", "10"}, "--digit must be at most 9");
    check_bad_input({"--index", "100"}, "--index must be at most 99");
    check_bad_input({"--layer", "0"}, "--layer must be at least 1");
    check_bad_input({"--save-dir", "x"}, "--save-dir writes what --train trains");
    check_bad_input({"--text", ""}, "--text is empty");
    check_bad_input({"--checkpoint", "no/such.safetensors"}, "no/such.safetensors");
    check_bad_input({"--checkpoint", data_path("positions_rope.safetensors")},
                    "not lesson 14's ViT");
    check_bad_input({"--train", "--checkpoint", "x.safetensors"},
                    "--checkpoint reads a trained ViT and --train trains one");
}
