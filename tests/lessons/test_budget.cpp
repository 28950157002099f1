// The size budget from the outside: sizes that are each in range but too big together,
// a very long sentence, a training batch too large, and --max-memory itself. Each run
// stops before allocating, so each takes milliseconds.
#include "lessons/run_lesson.hpp"
#include "support/catch.hpp"

#include <string>
#include <vector>

using namespace tfm::test;

namespace {

void check_refused(const std::string& lesson, const std::vector<std::string>& args,
                   const std::string& says) {
    const RunResult r = run_lesson(lesson, args);
    INFO(lesson << "\nstdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(count_lines(r.err) == 2);
    CHECK(contains(r.err, lesson + ": error: "));
    CHECK(contains(r.err, says));
    CHECK(r.out.empty());
}

}  // namespace

TEST_CASE("sizes each in range but too big together are refused with the estimate and the option",
          "[lessons][budget]") {
    check_refused(
        "06_encoder", {"--d-model", "1024", "--heads", "1", "--layers", "24", "--d-ff", "8192"},
        "--d-model 1024, --heads 1, --d-ff 8192, --layers 24, over 7 tokens would need about");
    check_refused("06_encoder",
                  {"--d-model", "1024", "--heads", "1", "--layers", "24", "--d-ff", "8192"},
                  "more than the memory budget of 2 GiB (raise it with --max-memory)");
    check_refused("07_decoder", {"--d-model", "1024", "--layers", "24"},
                  "more than the memory budget");
    check_refused("05_ffn", {"--d-model", "1024", "--d-ff", "8192", "--max-memory", "64M"},
                  "more than the memory budget of 64 MiB");
    check_refused("09_full_model",
                  {"--random-weights", "--d-model", "1024", "--d-ff", "8192", "--layers", "24"},
                  "more than the memory budget");
    // The same sizes pass under a budget that holds them.
    const RunResult ok = run_lesson(
        "05_ffn", {"--d-model", "512", "--d-ff", "2048", "--max-memory", "1G", "--quiet"});
    INFO(ok.err);
    CHECK(ok.exit_code == 0);
}

TEST_CASE("a 100,000-character sentence is refused before its n × n scores are allocated",
          "[lessons][budget]") {
    std::string text;
    while (text.size() < 100000) text += "cat ";
    for (const char* lesson : {"03_attention", "04_multi_head", "06_encoder", "07_decoder"})
        check_refused(lesson, {"--text", text}, "over 25001 tokens would need about");
}

TEST_CASE("training whose batch would not fit is refused before the first step",
          "[lessons][budget]") {
    check_refused("09_full_model", {"--train", "--batch-size", "4096", "--parts", "64"},
                  "--train with --d-model 32, --d-ff 64, --layers 2, --batch-size 4096, --parts 64 "
                  "would need about");
}

TEST_CASE("--max-memory takes a size with K, M or G from 1M to 1024G", "[lessons][budget]") {
    check_refused("02_qkv", {"--max-memory", "12Q"},
                  "--max-memory must be a size such as 512M or 4G (got '12Q')");
    check_refused("02_qkv", {"--max-memory", "512K"},
                  "--max-memory must be from 1M to 1024G (got '512K')");
    check_refused("02_qkv", {"--max-memory", "2048G"}, "must be from 1M to 1024G");
    check_refused("02_qkv", {"--max-memory", "-1G"}, "must be a size");
    for (const char* size : {"1M", "3000000000", "1G", "16GiB"}) {
        const RunResult r = run_lesson("02_qkv", {"--max-memory", size, "--quiet"});
        INFO(size << ": " << r.err);
        CHECK(r.exit_code == 0);
    }
}

TEST_CASE("work a lesson would take for minutes is refused with the estimate",
          "[lessons][budget]") {
    check_refused("08_rnn_vs_attention",
                  {"--T", "2000", "--d-model", "128", "--rho", "0.5,0.6,0.7,0.8,0.9,1.2"},
                  "--rho with 6 radii at --T 2000, --d-model 128 would need about 3e+11 "
                  "multiply-adds, more than the 2e11 a run may take");
    check_refused("08_rnn_vs_attention",
                  {"--T", "2000", "--d-model", "128", "--layers", "24", "--d-ff", "8192",
                   "--max-memory", "64G"},
                  "--layers 24, over 2000 tokens would need about 3.9e+11 multiply-adds");
    std::string text;
    for (int i = 0; i < 1000; ++i) text += "cat ";
    check_refused("03_attention", {"--trials", "20000", "--text", text},
                  "--trials 20000 over 1000 keys would need about");
}
