// Self-describing weight files, run as a learner runs the lessons: every --save-weights
// file carries its lesson and sizes, a --weights file saved under other options stops
// the lesson (exit 2, both values named), and a file without metadata still loads.
#include "io/safetensors.hpp"
#include "lessons/run_lesson.hpp"

#include "support/catch.hpp"

using tfm::Metadata;
using tfm::test::run_lesson;
using tfm::test::temp_dir;

namespace {

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// A failed run as the house rules want it: exit 2, "PROGRAM: error: …" first, at most two lines.
void check_error(const tfm::test::RunResult& r, const std::string& program,
                 const std::vector<std::string>& parts) {
    INFO("stderr:\n" << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.rfind(program + ": error: ", 0) == 0);
    CHECK(tfm::test::count_lines(r.err) <= 2);
    for (const std::string& p : parts) CHECK(has(r.err, p));
}

// The same tensors, written again without __metadata__.
void strip_metadata(const std::string& from, const std::string& to) {
    tfm::save_safetensors(to, tfm::load_safetensors(from));
}

}  // namespace

TEST_CASE("every lesson's --save-weights file names its lesson and the sizes of its options",
          "[lessons][weight_files]") {
    const std::string dir = temp_dir("meta_all");
    const std::vector<std::pair<std::string, Metadata>> lessons = {
        {"01_embedding", {{"lesson", "01_embedding"}, {"d_model", "6"}}},
        {"02_qkv", {{"lesson", "02_qkv"}, {"d_model", "6"}}},
        {"03_attention", {{"lesson", "03_attention"}, {"d_model", "6"}}},
        {"04_multi_head", {{"lesson", "04_multi_head"}, {"d_model", "6"}, {"num_heads", "3"}}},
        {"05_ffn",
         {{"lesson", "05_ffn"},
          {"d_model", "6"},
          {"num_heads", "3"},
          {"d_ff", "24"},
          {"norm_first", "false"},
          {"activation", "relu"}}},
        {"06_encoder",
         {{"lesson", "06_encoder"},
          {"d_model", "6"},
          {"num_heads", "3"},
          {"d_ff", "24"},
          {"layers", "2"},
          {"norm_first", "false"},
          {"activation", "relu"}}},
        {"07_decoder",
         {{"lesson", "07_decoder"},
          {"d_model", "6"},
          {"num_heads", "3"},
          {"d_ff", "24"},
          {"layers", "2"},
          {"norm_first", "false"},
          {"activation", "relu"}}},
    };
    for (const auto& [lesson, expected] : lessons) {
        INFO(lesson);
        const std::string w = dir + "/" + lesson + ".safetensors";
        std::vector<std::string> args{"--d-model", "6", "--save-weights", w, "--quiet"};
        if (expected.count("num_heads")) args.insert(args.end(), {"--heads", "3"});
        const auto r = run_lesson(lesson, args);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(tfm::read_safetensors_metadata(w) == expected);
        // Read back by the same options: accepted.
        args[2] = "--weights";
        CHECK(run_lesson(lesson, args).exit_code == 0);
    }
}

TEST_CASE("a weight file saved under other options stops the lesson, naming both values",
          "[lessons][weight_files]") {
    const std::string dir = temp_dir("meta_bad");
    const std::string two = dir + "/two_heads.safetensors";
    REQUIRE(
        run_lesson("04_multi_head", {"--heads", "2", "--save-weights", two, "--quiet"}).exit_code ==
        0);
    // Same names and shapes under --heads 4: without metadata this loaded silently.
    check_error(run_lesson("04_multi_head", {"--heads", "4", "--weights", two, "--quiet"}),
                "04_multi_head", {two, "num_heads = 2 (--heads 2)", "num_heads = 4 (--heads 4)"});

    const std::string pre = dir + "/pre_gelu.safetensors";
    REQUIRE(run_lesson("06_encoder", {"--layers", "1", "--norm-first", "--activation", "gelu",
                                      "--save-weights", pre, "--quiet"})
                .exit_code == 0);
    check_error(run_lesson("06_encoder",
                           {"--layers", "1", "--activation", "gelu", "--weights", pre, "--quiet"}),
                "06_encoder",
                {"norm_first = true (--norm-first)", "norm_first = false (no --norm-first)"});
    check_error(
        run_lesson("06_encoder", {"--layers", "1", "--norm-first", "--weights", pre, "--quiet"}),
        "06_encoder", {"--activation gelu", "--activation relu"});

    const std::string ffn = dir + "/ffn.safetensors";
    REQUIRE(run_lesson("05_ffn", {"--d-ff", "16", "--save-weights", ffn, "--quiet"}).exit_code ==
            0);
    check_error(run_lesson("05_ffn", {"--d-ff", "32", "--weights", ffn, "--quiet"}), "05_ffn",
                {"d_ff = 16", "d_ff = 32"});
}

TEST_CASE("a weight file without metadata loads by names and shapes alone",
          "[lessons][weight_files]") {
    const std::string dir = temp_dir("meta_none");
    const std::string two = dir + "/two_heads.safetensors", bare = dir + "/bare.safetensors";
    REQUIRE(
        run_lesson("04_multi_head", {"--heads", "2", "--save-weights", two, "--quiet"}).exit_code ==
        0);
    strip_metadata(two, bare);
    REQUIRE(tfm::read_safetensors_metadata(bare).empty());
    const auto r = run_lesson("04_multi_head", {"--heads", "4", "--weights", bare, "--quiet"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    // Names and shapes are still checked: d_model 6 has other shapes.
    check_error(run_lesson("04_multi_head",
                           {"--d-model", "6", "--heads", "2", "--weights", bare, "--quiet"}),
                "04_multi_head", {"wq.weight", "[8, 8]", "[6, 6]"});
}

TEST_CASE("lesson 09 writes its lesson into the checkpoint and reads metadata strictly",
          "[lessons][weight_files]") {
    const std::string dir = temp_dir("meta_09");
    const std::string w = dir + "/m.safetensors";
    const auto saved =
        run_lesson("09_full_model", {"--task", "reverse", "--save-weights", w, "--quiet"});
    INFO(saved.err);
    REQUIRE(saved.exit_code == 0);
    Metadata meta = tfm::read_safetensors_metadata(w);
    CHECK(meta.at("lesson") == "09_full_model");
    CHECK(meta.at("task") == "reverse");
    const tfm::TensorMap tensors = tfm::load_safetensors(w);
    for (const char* bad : {"8abc", "-8", " 8", ""}) {
        INFO("d_model = '" << bad << "'");
        Metadata broken = meta;
        broken["d_model"] = bad;
        tfm::save_safetensors(w, tensors, broken);
        check_error(run_lesson("09_full_model", {"--weights", w, "--quiet"}), "09_full_model",
                    {"metadata d_model = '" + std::string(bad) + "'", "digits only"});
    }
    Metadata broken = meta;
    broken["norm_first"] = "yes";
    tfm::save_safetensors(w, tensors, broken);
    check_error(run_lesson("09_full_model", {"--weights", w, "--quiet"}), "09_full_model",
                {"norm_first = 'yes'"});
}
