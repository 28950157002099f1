// Lesson 13 run as a learner runs it: the defaults on the five shipped checkpoints
// (every printed figure is what the library computes from the files), --train with a
// few steps writing checkpoints that load, and bad input.
#include "course/lesson_13.hpp"
#include "io/files.hpp"
#include "io/table.hpp"
#include "lessons/run_lesson.hpp"

#include "support/catch.hpp"

#include <chrono>

using namespace tfm;
using namespace tfm::course;
using namespace tfm::test;

namespace {

void check_bad_input(const std::vector<std::string>& args, const std::string& message) {
    const RunResult r = run_lesson("13_positions", args, "NO_COLOR=1");
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(count_lines(r.err) == 2);
    CHECK(contains(r.err, "13_positions: error: "));
    CHECK(contains(r.err, message));
    CHECK(contains(r.err, "Try '13_positions --help'."));
    CHECK(r.out.empty());
}

}  // namespace

TEST_CASE("lesson 13 with its defaults prints what the shipped models compute", "[lesson13]") {
    const auto start = std::chrono::steady_clock::now();
    const RunResult r = run_lesson("13_positions", {}, "NO_COLOR=1");
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    INFO(r.out << r.err << "\n" << seconds << " s");
    REQUIRE(r.exit_code == 0);
    std::vector<std::unique_ptr<PositionModel>> models;
    for (PositionKind kind : position_kinds())
        models.push_back(load_position_model(data_path(checkpoint_name(kind)), kind));
    const HeldOut held_out = held_out_strings(kHeldOutSeed, kHeldOutPerLength);
    const std::vector<AccuracyRow> rows = accuracy_rows(models, held_out);
    const TextTable table = accuracy_table(rows);
    for (const auto& row : table.rows)
        for (const std::string& cell : row) CHECK(contains(r.out, cell));
    CHECK(says(r.out, accuracy_sentence(rows)));
    // The shipped models do what the docs say they do: without positions the model is
    // lost even on short strings, RoPE reverses every held-out string up to 12.
    CHECK(rows[0].by_bucket[0].digits < 0.5);
    CHECK(rows[3].by_bucket[0].strings > 0.95);
    // The equivariance gap without positions is rounding; with RoPE it is not.
    CHECK(equivariance_gap(*models[0], "31415926535897932384", 5, 42) <= 1e-12);
    CHECK(
        contains(r.out, format_diff(equivariance_gap(*models[3], "31415926535897932384", 5, 42))));
    CHECK(contains(r.out,
                   "31415926535897932384 → " + reverse_with(*models[3], "31415926535897932384")));
    CHECK(run_lesson("13_positions", {}, "NO_COLOR=1").out == r.out);
}

TEST_CASE("lesson 13 --train trains five models and writes checkpoints that load", "[lesson13]") {
    const std::string dir = temp_dir("lesson13_train") + "/models";
    const RunResult r =
        run_lesson("13_positions",
                   {"--train", "--steps", "3", "--save-dir", dir, "--pe", "learned"}, "NO_COLOR=1");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(contains(r.out, "3 steps of 32 strings each"));
    CHECK(contains(r.err, "rope       step     3/3"));
    for (PositionKind kind : position_kinds())
        CHECK(load_position_model(dir + "/" + checkpoint_name(kind), kind) != nullptr);
}

TEST_CASE("lesson 13 refuses bad input with exit 2", "[lesson13]") {
    check_bad_input({"--pe", "absolute"}, "unknown position encoding 'absolute'");
    check_bad_input({"--digits", "12a4"}, "is not a string of digits");
    check_bad_input({"--digits", ""}, "--digits has 0 digits");
    check_bad_input({"--digits", std::string(25, '1')}, "--digits has 25 digits");
    check_bad_input({"--save-dir", "x"}, "--save-dir writes what --train trains");
}
