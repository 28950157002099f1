// The metadata of the lessons' weight files: what they write, what they check on
// loading, and the strict reading of sizes (cli/weight_files, io/safetensors).
#include "cli/weight_files.hpp"

#include "cli/lesson_support.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"
#include "io/safetensors.hpp"
#include "lessons/run_lesson.hpp"

#include "support/catch.hpp"

using tfm::Metadata;
using tfm::cli::check_weight_metadata;
using tfm::cli::lesson_weight_metadata;

TEST_CASE("lesson_weight_metadata writes the lesson and only the options the lesson has",
          "[weight_files]") {
    tfm::cli::Common c;
    c.d_model = 12;
    c.num_heads = 3;
    c.d_ff = 20;
    c.layers = 4;
    c.norm_first = true;
    c.activation = tfm::Activation::gelu;
    const Metadata all = lesson_weight_metadata(c, "06_encoder",
                                                tfm::cli::sizes | tfm::cli::heads | tfm::cli::ffn |
                                                    tfm::cli::layers | tfm::cli::norm_first |
                                                    tfm::cli::activation | tfm::cli::text);
    const Metadata expected = {{"lesson", "06_encoder"}, {"d_model", "12"}, {"num_heads", "3"},
                               {"d_ff", "20"},           {"layers", "4"},   {"norm_first", "true"},
                               {"activation", "gelu"}};
    CHECK(all == expected);
    const Metadata only_size =
        lesson_weight_metadata(c, "02_qkv", tfm::cli::sizes | tfm::cli::input);
    CHECK(only_size == Metadata{{"lesson", "02_qkv"}, {"d_model", "12"}});
}

TEST_CASE(
    "check_weight_metadata rejects a disagreement naming both values, and passes what it cannot "
    "check",
    "[weight_files]") {
    const Metadata ours = {{"lesson", "04_multi_head"}, {"d_model", "8"}, {"num_heads", "4"}};
    CHECK_NOTHROW(
        check_weight_metadata("w.safetensors", {}, ours));  // no metadata: names and shapes decide
    CHECK_NOTHROW(check_weight_metadata("w.safetensors",
                                        {{"lesson", "03_attention"}, {"d_model", "8"}}, ours));
    CHECK_NOTHROW(check_weight_metadata("w.safetensors",
                                        {{"d_model", "8"}, {"d_ff", "99"}, {"task", "x"}}, ours));
    CHECK_THROWS_WITH(check_weight_metadata("w.safetensors", {{"num_heads", "2"}}, ours),
                      Catch::Contains("w.safetensors") &&
                          Catch::Contains("num_heads = 2 (--heads 2)") &&
                          Catch::Contains("num_heads = 4 (--heads 4)"));
    CHECK_THROWS_AS(check_weight_metadata("w", {{"num_heads", "2"}}, ours), tfm::InputError);

    const Metadata pre = {{"norm_first", "true"}, {"activation", "relu"}, {"layers", "2"}};
    CHECK_THROWS_WITH(check_weight_metadata("w", {{"norm_first", "false"}}, pre),
                      Catch::Contains("norm_first = false (no --norm-first)") &&
                          Catch::Contains("norm_first = true (--norm-first)"));
    CHECK_THROWS_WITH(check_weight_metadata("w", {{"activation", "gelu"}}, pre),
                      Catch::Contains("--activation gelu") && Catch::Contains("--activation relu"));
    CHECK_THROWS_WITH(check_weight_metadata("w", {{"layers", "3"}}, pre),
                      Catch::Contains("--layers 3") && Catch::Contains("--layers 2"));
    // Values that do not parse are errors of their own, never a silent pass.
    CHECK_THROWS_WITH(check_weight_metadata("w", {{"norm_first", "yes"}}, pre),
                      Catch::Contains("'yes'"));
    CHECK_THROWS_WITH(check_weight_metadata("w", {{"activation", "tanh"}}, pre),
                      Catch::Contains("'tanh'"));
    CHECK_THROWS_WITH(check_weight_metadata("w", {{"layers", "2x"}}, pre), Catch::Contains("'2x'"));
}

TEST_CASE("metadata sizes are digits only, the whole string", "[weight_files]") {
    CHECK(tfm::metadata_size("f", "d_model", "32") == 32);
    CHECK(tfm::metadata_size("f", "d_model", "0") == 0);
    CHECK(tfm::metadata_size("f", "d_model", "007") == 7);
    for (const char* bad :
         {"", "-1", "+3", " 3", "3 ", "3.0", "32abc", "0x10", "1e3", "99999999999999999999"}) {
        INFO("'" << bad << "'");
        CHECK_THROWS_WITH(tfm::metadata_size("f.safetensors", "d_model", bad),
                          Catch::Contains("f.safetensors") && Catch::Contains("d_model") &&
                              Catch::Contains("digits only"));
    }
}

TEST_CASE("apply_weight_files writes the metadata and refuses a file saved with other options",
          "[weight_files]") {
    const std::string dir = tfm::test::temp_dir("weight_meta");
    arma::mat w = {{1, 2}, {3, 4}}, grad(2, 2, arma::fill::zeros);
    const tfm::ParamList params = {{"w", &w, &grad, false}};
    tfm::cli::Common c;
    c.num_heads = 2;
    c.save_weights = dir + "/two.safetensors";
    const unsigned features = tfm::cli::sizes | tfm::cli::heads;
    tfm::cli::apply_weight_files(c, params, "04_multi_head", features);
    const Metadata written = tfm::read_safetensors_metadata(c.save_weights);
    CHECK(written == Metadata{{"lesson", "04_multi_head"}, {"d_model", "8"}, {"num_heads", "2"}});

    tfm::cli::Common four;
    four.num_heads = 4;
    four.weights = dir + "/two.safetensors";
    w.fill(7);
    CHECK_THROWS_WITH(tfm::cli::apply_weight_files(four, params, "04_multi_head", features),
                      Catch::Contains("num_heads = 2") && Catch::Contains("num_heads = 4"));
    CHECK(w(0, 0) == 7);  // nothing was loaded

    // The same tensors without metadata load under any --heads.
    tfm::save_params(dir + "/bare.safetensors", params);
    CHECK(tfm::read_safetensors_metadata(dir + "/bare.safetensors").empty());
    four.weights = dir + "/bare.safetensors";
    w.fill(5);
    tfm::cli::apply_weight_files(four, params, "04_multi_head", features);
    CHECK(w(0, 0) == 7);  // bare.safetensors was written while w held 7
}
