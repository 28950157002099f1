// Lesson 10 run as a learner runs it: the defaults on the shipped dates model, its own
// inputs and sampling setting, the same screen with and without the cache, and bad input.
#include "course/lesson_10.hpp"
#include "io/npy.hpp"
#include "io/printer.hpp"
#include "lessons/run_lesson.hpp"

#include "support/catch.hpp"

#include <fstream>
#include <sstream>

using namespace tfm;
using namespace tfm::test;

namespace {

std::size_t widest(const std::string& out) {
    std::istringstream lines(out);
    std::size_t w = 0;
    for (std::string line; std::getline(lines, line);) w = std::max(w, display_width(line));
    return w;
}

void check_bad_input(const std::vector<std::string>& args, const std::string& message) {
    const RunResult r = run_lesson("10_decoding", args, "NO_COLOR=1");
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(count_lines(r.err) == 2);
    CHECK(contains(r.err, "10_decoding: error: "));
    CHECK(contains(r.err, message));
    CHECK(contains(r.err, "Try '10_decoding --help'."));
}

}  // namespace

TEST_CASE("lesson 10 with its defaults compares the decoders on the shipped dates model",
          "[lesson10]") {
    const RunResult r = run_lesson("10_decoding", {}, "NO_COLOR=1");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "dates.safetensors"));
    CHECK_FALSE(contains(r.out, "RANDOM"));
    CHECK(widest(r.out) <= 100);
    CHECK(count_lines(r.out) <= 200);
    // What the screen says each decoder wrote is what the library computes from the file.
    course::ModelRequest request;
    request.task = "dates";
    course::LessonModel m = course::load_lesson_model(request);
    DecodeOptions options;
    options.max_len = m.task.max_target_len() + 1;
    BeamOptions beam;
    for (const char* input : {"25 November 2026", "3/4/2021", "7.5.1999"}) {
        const course::DecoderComparison c = course::compare_decoders(m, input, beam, options);
        CHECK(says(r.out,
                   "\"" + std::string(input) + "\": " + course::comparison_sentence(m.vocab, c)));
        for (const auto& row : course::n_best_table(m.vocab, c).rows)
            CHECK(contains(r.out, row[1]));
    }
    CHECK(says(r.out, "T 0 and top-k 1 wrote greedy's answer in 100.0% and 100.0% of the draws"));
    CHECK(contains(r.out, "µs: cached"));
    CHECK(says(r.out, "the times were measured here, now"));
    CHECK(says(r.out, "1024"));
    CHECK(says(r.out, "(the tests allow 1e-12)"));
}

TEST_CASE("lesson 10 prints the same screen with and without the KV cache", "[lesson10]") {
    const std::vector<std::string> args = {"--text", "3/4/2021", "--samples", "100",
                                           "--timing=false"};
    const RunResult cached = run_lesson("10_decoding", args, "NO_COLOR=1");
    std::vector<std::string> uncached_args = args;
    uncached_args.push_back("--no-cache");
    const RunResult uncached = run_lesson("10_decoding", uncached_args, "NO_COLOR=1");
    REQUIRE(cached.exit_code == 0);
    REQUIRE(uncached.exit_code == 0);
    CHECK(cached.out == uncached.out);
    CHECK(contains(cached.out, "Sampling 100 answers for \"3/4/2021\""));
    CHECK_FALSE(contains(cached.out, "µs"));
}

TEST_CASE("lesson 10 takes its inputs from a file and adds the learner's sampling setting",
          "[lesson10]") {
    const std::string dir = temp_dir("lesson10");
    const std::string file = dir + "/inputs.txt";
    std::ofstream(file) << "12/31/1999\n\n1/2/2003\n";
    const RunResult r =
        run_lesson("10_decoding",
                   {"--text-file", file, "--beam", "2", "--samples", "50", "--temperature", "0.7",
                    "--top-k", "5", "--top-p", "0.9", "--timing=false", "--alpha", "0"},
                   "NO_COLOR=1");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "\"12/31/1999\": "));
    CHECK(contains(r.out, "\"1/2/2003\": "));
    CHECK(contains(r.out, "T 0.7, top-k 5, top-p 0.9 (yours)"));
    CHECK(contains(r.out, "(N = 2)"));
    CHECK(contains(r.out, "^0 "));
    CHECK_FALSE(contains(r.out, "Every answer drawn under"));
    const RunResult all = run_lesson(
        "10_decoding", {"--text", "3/4/2021", "--samples", "30", "--timing=false", "--all-answers"},
        "NO_COLOR=1");
    REQUIRE(all.exit_code == 0);
    CHECK(says(all.out, "Every answer drawn under T 2, top-p 0.9:"));
    CHECK(contains(all.out, "answer      count  share"));
    const RunResult again =
        run_lesson("10_decoding",
                   {"--text-file", file, "--beam", "2", "--samples", "50", "--temperature", "0.7",
                    "--top-k", "5", "--top-p", "0.9", "--timing=false", "--alpha", "0"},
                   "NO_COLOR=1");
    CHECK(again.out == r.out);  // same seed, same draws
}

TEST_CASE("lesson 10 dumps the n-best scores and the first-token distributions", "[lesson10]") {
    const std::string dir = temp_dir("lesson10-dump");
    const RunResult r = run_lesson("10_decoding",
                                   {"--text", "3/4/2021", "--samples", "20", "--timing=false",
                                    "--dump-dir", dir, "--beam", "3"},
                                   "NO_COLOR=1");
    REQUIRE(r.exit_code == 0);
    const arma::mat nbest = tfm::load_npy(dir + "/nbest.npy");
    CHECK(nbest.n_rows == 3);
    CHECK(nbest.n_cols == 2);
    CHECK(arma::approx_equal(tfm::load_npy(dir + "/output.npy"), nbest, "absdiff", 0.0));
    const arma::mat first = tfm::load_npy(dir + "/first_token_probs.npy");
    CHECK(first.n_cols == 71);
    CHECK(first.n_rows == course::default_sampling_settings().size());
    for (arma::uword i = 0; i < first.n_rows; ++i) CHECK(arma::accu(first.row(i)) == Approx(1.0));
}

TEST_CASE("lesson 10 refuses bad decoding settings with one line and exit status 2", "[lesson10]") {
    check_bad_input({"--beam", "0"}, "--beam");
    check_bad_input({"--temperature", "-0.5"}, "--temperature must be ≥ 0");
    check_bad_input({"--top-p", "0"}, "--top-p must lie in (0, 1]");
    check_bad_input({"--top-p", "1.5"}, "--top-p must lie in (0, 1]");
    check_bad_input({"--top-k", "72"}, "--top-k 72 is more than the 71 tokens");
    check_bad_input({"--top-k", "-1"}, "--top-k");
    check_bad_input({"--samples", "0"}, "--samples");
    check_bad_input({"--alpha", "-1"}, "--alpha");
    check_bad_input({"--text-file", "/nonexistent/inputs.txt"}, "inputs.txt");
    check_bad_input({"--beam", "two"}, "--beam");
}

TEST_CASE("lesson 10's help lists its options with their defaults", "[lesson10]") {
    const RunResult r = run_lesson("10_decoding", {"--help"}, "NO_COLOR=1");
    REQUIRE(r.exit_code == 0);
    for (const char* option :
         {"--beam", "--alpha", "--temperature", "--top-k", "--top-p", "--samples", "--no-cache",
          "--text-file", "--text", "--weights", "--timing", "docs/10-decoding.md"})
        CHECK(contains(r.out, option));
}
