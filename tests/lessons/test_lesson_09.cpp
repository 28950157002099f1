// Lesson 09 run as a learner runs it: the shipped dates model by default, --help,
// --weights/--save-weights, --train, the dump, and bad input.
#include "io/npy.hpp"
#include "io/printer.hpp"
#include "io/safetensors.hpp"
#include "lessons/run_lesson.hpp"

#include "support/catch.hpp"

#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

using namespace tfm::test;

namespace {

void check_bad_input(const std::vector<std::string>& args, const std::string& what) {
    const RunResult r = run_lesson("09_full_model", args, "NO_COLOR=1");
    INFO(what << "\nstdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(count_lines(r.err) == 2);  // the error, then "Try 'PROGRAM --help'."
    CHECK(contains(r.err, "error"));
}

}  // namespace

TEST_CASE("lesson 09 with its defaults decodes 25 November 2026 with the shipped dates model") {
    const RunResult r = run_lesson("09_full_model", {}, "NO_COLOR=1");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "dates.safetensors"));
    CHECK(contains(r.out, "25 November 2026  →  2026-11-25"));
    CHECK(contains(r.out, "cross_weights.T ["));
    CHECK(contains(r.out, "top 5"));
    CHECK_FALSE(contains(r.out, "RANDOM"));
    // The article's claim: inference changes nothing.
    CHECK(contains(r.out, "After inference (steps 2–6 above): 0 of"));
    CHECK(says(r.out, "The dates task's answer: 2026-11-25 (correct)."));
    CHECK(contains(r.out, "generator.weight [71 × 32]"));
    CHECK(says(r.out, "→ logits [11 × 71]"));
    CHECK(contains(r.out, "e-0"));  // runners-up far below 0.001 are not shown as 0.000
    CHECK_FALSE(contains(r.out, " 0.000 "));
    CHECK_FALSE(contains(r.out, "not a date"));
    // The default screen: at most 200 lines, none wider than 100 columns.
    CHECK(count_lines(r.out) <= 200);
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        INFO(line);
        CHECK(tfm::display_width(line) <= 100);
    }
}

TEST_CASE(
    "lesson 09 says before decoding when the input has <unk> characters or is not a trained date") {
    const RunResult unknown =
        run_lesson("09_full_model", {"--text", "2026年11月25日"}, "NO_COLOR=1");
    INFO(unknown.out << unknown.err);
    REQUIRE(unknown.exit_code == 0);
    CHECK(says(unknown.out, "3 of 11 characters are unknown to the vocabulary (<unk>)"));
    CHECK(says(unknown.out, "This is not a date in one of the 18 formats"));
    CHECK(unknown.out.find("not a date") < unknown.out.find("  →  "));
    const RunResult far = run_lesson("09_full_model", {"--text", "25 November 2126"}, "NO_COLOR=1");
    CHECK(says(far.out, "This is not a date in one of the 18 formats"));
    CHECK_FALSE(contains(far.out, "unknown to the vocabulary"));
    const RunResult letters = run_lesson(
        "09_full_model", {"--random-weights", "--task", "copy", "--text", "abc"}, "NO_COLOR=1");
    CHECK(says(letters.out, "The copy task trains on 1 to 10 digits"));
}

TEST_CASE("lesson 09 says that a weights file fixed the sizes given on the command line") {
    const RunResult r =
        run_lesson("09_full_model", {"--d-model", "64", "--heads", "8"}, "NO_COLOR=1");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(says(r.out, "Ignored --d-model, --heads: "));
    CHECK(contains(r.out, "25 November 2026  →  2026-11-25"));
    const RunResult plain = run_lesson("09_full_model", {}, "NO_COLOR=1");
    CHECK_FALSE(contains(plain.out, "Ignored"));
}

TEST_CASE("lesson 09 --weights with sizes that disagree with the file exits 2 naming both") {
    const std::string w = "data/dates.safetensors";
    const RunResult r =
        run_lesson("09_full_model", {"--weights", w, "--d-model", "64", "--heads", "8", "--quiet"},
                   "NO_COLOR=1");
    INFO(r.out << r.err);
    CHECK(r.exit_code == 2);
    CHECK(count_lines(r.err) == 2);
    CHECK(contains(r.err, "--d-model asks for d_model 64, but " + w + " holds d_model 32"));
    check_bad_input({"--weights", w, "--norm-first"}, "pre-LN against a post-LN file");
    check_bad_input({"--weights", w, "--layers", "3"}, "3 layers against 2 + 2");
    // Sizes that say what the file holds are fine, and nothing is "ignored".
    const RunResult same = run_lesson(
        "09_full_model", {"--weights", w, "--d-model", "32", "--heads", "4"}, "NO_COLOR=1");
    INFO(same.err);
    CHECK(same.exit_code == 0);
    CHECK_FALSE(contains(same.out, "Ignored"));
    CHECK(contains(same.out, "25 November 2026  →  2026-11-25"));
}

TEST_CASE("lesson 09 --top-k takes 1 to the vocabulary's size and rejects more with exit 2") {
    const RunResult all = run_lesson("09_full_model", {"--top-k", "71", "--quiet"}, "NO_COLOR=1");
    INFO(all.err);
    CHECK(all.exit_code == 0);
    CHECK(contains(all.out, "top 71"));
    check_bad_input({"--top-k", "72"}, "top-k past the vocabulary");
    const RunResult r = run_lesson("09_full_model", {"--top-k", "72"}, "NO_COLOR=1");
    CHECK(contains(r.err, "--top-k 72 is more than the 71 tokens of the vocabulary"));
    CHECK(r.out.empty());
}

TEST_CASE("lesson 09 decodes other formats of the same date with the shipped model") {
    for (const std::string text :
         {"Wednesday 25th of November 2026", "11/25/2026", "25.11.26", "nov 25, 2026"}) {
        const RunResult r = run_lesson("09_full_model", {"--text", text, "--quiet"}, "NO_COLOR=1");
        INFO(text << "\n" << r.out << r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(contains(r.out, text + "  →  2026-11-25"));
    }
}

TEST_CASE("lesson 09 --help lists its options and exits 0") {
    const RunResult r = run_lesson("09_full_model", {"--help"});
    CHECK(r.exit_code == 0);
    for (const char* option :
         {"--top-k", "--max-len", "--train", "--task", "--weights", "--save-weights", "--steps"})
        CHECK(contains(r.out, option));
}

TEST_CASE("lesson 09 with random weights says so plainly") {
    const RunResult r = run_lesson("09_full_model", {"--random-weights"}, "NO_COLOR=1");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "RANDOM"));
    CHECK(contains(r.out, "meaningless"));
}

TEST_CASE("lesson 09 --save-weights then --weights reproduces the same decoding and dump") {
    const std::string dir = temp_dir("lesson09");
    const std::string w = dir + "/m.safetensors";
    const RunResult saved = run_lesson(
        "09_full_model",
        {"--task", "reverse", "--seed", "3", "--save-weights", w, "--dump-dir", dir + "/a"});
    INFO(saved.out << saved.err);
    REQUIRE(saved.exit_code == 0);
    CHECK(std::filesystem::exists(w));
    CHECK_FALSE(std::filesystem::exists(dir + "/m.vocab.txt"));  // one file, vocabulary inside
    const RunResult loaded =
        run_lesson("09_full_model", {"--weights", w, "--seed", "9", "--dump-dir", dir + "/b"});
    INFO(loaded.out << loaded.err);
    REQUIRE(loaded.exit_code == 0);
    CHECK(contains(loaded.out, "RANDOM") == false);
    const arma::mat a = tfm::load_npy(dir + "/a/probs.npy"),
                    b = tfm::load_npy(dir + "/b/probs.npy");
    CHECK(arma::approx_equal(a, b, "absdiff", 0.0));
    const arma::mat out = tfm::load_npy(dir + "/a/output.npy");
    CHECK(arma::approx_equal(arma::sum(out, 1), arma::vec(out.n_rows, arma::fill::ones), "absdiff",
                             1e-12));
    CHECK(std::filesystem::exists(dir + "/a/logits.npy"));
}

TEST_CASE(
    "lesson 09 --train prints the first loss beside ln V and writes a checkpoint it can load") {
    const std::string dir = temp_dir("lesson09train");
    const std::string w = dir + "/copy.safetensors";
    const RunResult r = run_lesson("09_full_model",
                                   {"--train", "--task", "copy", "--steps", "20", "--batch-size",
                                    "4", "--eval-size", "10", "--save-weights", w},
                                   "NO_COLOR=1");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.err, "step    20/20"));  // progress goes to stderr, tensors stay on stdout
    CHECK_FALSE(contains(r.out, "step    20/20"));
    CHECK(contains(r.out, "before training"));
    CHECK(contains(r.out, tfm::format_number(std::log(14.0), 4)));  // ln V for copy's 14 tokens
    CHECK(contains(r.out, "% of 10"));
    REQUIRE(std::filesystem::exists(w));
    const RunResult loaded =
        run_lesson("09_full_model", {"--weights", w, "--text", "123", "--quiet"});
    CHECK(loaded.exit_code == 0);
}

TEST_CASE(
    "lesson 09 bad input ends with the error and the --help hint on stderr and exit status 2") {
    const std::string dir = temp_dir("lesson09bad");
    std::ofstream(dir + "/junk.safetensors") << "not a safetensors file";
    check_bad_input({"--top-k", "0"}, "top-k 0");
    check_bad_input({"--task", "translate"}, "unknown task");
    check_bad_input({"--weights", dir + "/missing.safetensors"}, "missing weights file");
    check_bad_input({"--weights", dir + "/junk.safetensors"}, "malformed weights file");
    check_bad_input({"--random-weights", "--heads", "5"}, "heads do not divide d_model");
    check_bad_input({"--steps", "many"}, "non-numeric value");
    check_bad_input({"--no-such-option"}, "unknown option");
}

TEST_CASE("lesson 09 refuses a checkpoint that lies about its sizes with two lines and exit 2") {
    // The shipped model's tensors under edited metadata.
    tfm::Metadata metadata;
    const tfm::TensorMap tensors = tfm::load_safetensors("data/dates.safetensors", &metadata);
    const std::string dir = temp_dir("lesson09lies");
    for (const auto& [key, value, problem] :
         {std::array<std::string, 3>{"d_ff", "1000000000000", "is out of range (1 to 8192"},
          {"decoder_layers", "100000000", "is out of range (1 to 24"},
          {"d_model", "-8", "is not a whole number"},
          {"d_model", "32abc", "is not a whole number"},
          {"d_ff", "8192",
           "tensor 'encoder.layers.0.ffn.linear1.weight' is [64, 32], but the model"}}) {
        tfm::Metadata lie = metadata;
        lie[key] = value;
        const std::string path = dir + "/" + key + value + ".safetensors";
        tfm::save_safetensors(path, tensors, lie);
        const RunResult r = run_lesson("09_full_model", {"--weights", path});
        INFO(key << " = " << value << "\n" << r.err);
        CHECK(r.exit_code == 2);
        CHECK(count_lines(r.err) == 2);
        CHECK(contains(r.err, "09_full_model: error: " + path + ": "));
        CHECK(contains(r.err, problem));
        CHECK(r.out.empty());
    }
}

TEST_CASE("lesson 09 checks --save-weights before training: a folder, an empty name, no access") {
    const std::string dir = temp_dir("lesson09save");
    std::filesystem::create_directory(dir + "/out.safetensors");
    for (const auto& [path, problem] :
         {std::pair<std::string, std::string>{dir + "/out.safetensors",
                                              "is a folder, not a file name"},
          {"", "--save-weights is empty"},
          {"/proc/m.safetensors", "--save-weights /proc/m.safetensors: cannot write"}}) {
        const RunResult r =
            run_lesson("09_full_model", {"--train", "--task", "copy", "--save-weights", path});
        INFO(path << "\n" << r.err);
        CHECK(r.exit_code == 2);
        CHECK(count_lines(r.err) == 2);
        CHECK(contains(r.err, problem));
        CHECK_FALSE(contains(r.err, "step"));  // refused before the first training step
        CHECK(r.out.empty());
    }
    CHECK(std::distance(std::filesystem::directory_iterator(dir),
                        std::filesystem::directory_iterator()) == 1);  // nothing beside it
}

TEST_CASE("a failed run removes the --dump-dir folders it created and left empty") {
    const std::string dir = temp_dir("lesson09dump");
    // The folder is made once the options are read; the file fails after that.
    std::ofstream(dir + "/junk.safetensors") << "not a safetensors file";
    const RunResult r = run_lesson("09_full_model", {"--dump-dir", dir + "/new/deeper", "--weights",
                                                     dir + "/junk.safetensors"});
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK_FALSE(std::filesystem::exists(dir + "/new"));
    const RunResult e = run_lesson("09_full_model", {"--dump-dir", ""});
    CHECK(e.exit_code == 2);
    CHECK(contains(e.err, "--dump-dir is empty"));
}
