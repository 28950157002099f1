// What lessons share beyond the options: their input X, the files around their module,
// and the way they write numbers.
#include "cli/lesson_support.hpp"

#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/random.hpp"
#include "io/npy.hpp"
#include "io/safetensors.hpp"
#include "io/table.hpp"
#include "lessons/run_lesson.hpp"
#include "nn/embedding.hpp"
#include "nn/positional_encoding.hpp"
#include "text/tokenizer.hpp"

#include "support/catch.hpp"

using tfm::cli::lesson_input;
using tfm::cli::LessonInput;

TEST_CASE("lesson_input from text is lesson 01's X, with <pad> tokens appended when asked") {
    tfm::set_seed(17);
    const LessonInput in = lesson_input("", "the cat sat", 6, 2, 42);
    const std::vector<std::string> labels = {"the", "cat", "sat", "<pad>", "<pad>"};
    const std::vector<bool> is_pad = {false, false, false, true, true};
    CHECK(in.labels == labels);
    CHECK(in.is_pad == is_pad);
    CHECK_FALSE(in.from_file);
    // The same draws by hand: E drawn by its canonical name from the same seed (whatever
    // the global generator's state), rows looked up, scaled, positions added.
    tfm::set_seed(99);
    const tfm::Vocab vocab = tfm::Vocab::lesson_default();
    tfm::Embedding embed(vocab.size(), 6);
    tfm::ParamList params;
    embed.params("src_embed.", params);
    tfm::draw_params(params, 42);
    const tfm::TokenIds ids = {vocab.id("the"), vocab.id("cat"), vocab.id("sat"), tfm::Vocab::pad,
                               tfm::Vocab::pad};
    const arma::mat expected = tfm::add_positions(embed.forward(ids));
    INFO("X\n" << in.x << "expected\n" << expected);
    CHECK(arma::approx_equal(in.x, expected, "absdiff", 0.0));
}

TEST_CASE("lesson_input from a file checks the width and marks its last rows as padding") {
    const std::string dir = tfm::test::temp_dir("lesson_input");
    const arma::mat x = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}};
    tfm::save_npy(dir + "/x.npy", x);
    const LessonInput in = lesson_input(dir + "/x.npy", "ignored", 3, 1, 42);
    CHECK(in.from_file);
    CHECK(arma::approx_equal(in.x, x, "absdiff", 0.0));
    const std::vector<std::string> labels = {"r0", "r1", "r2", "r3(pad)"};
    const std::vector<bool> is_pad = {false, false, false, true};
    CHECK(in.labels == labels);
    CHECK(in.is_pad == is_pad);
    CHECK_THROWS_WITH(lesson_input(dir + "/x.npy", "", 4, 0, 42),
                      Catch::Contains("is 4 × 3, need n × d_model with n ≥ 1: 4 columns for "
                                      "--d-model 4 (or pass --d-model 3)"));
    CHECK_THROWS_AS(lesson_input(dir + "/x.npy", "", 3, 4, 42), tfm::InputError);
    const arma::mat bad = {{1.0, arma::datum::nan, 3.0}};
    tfm::save_npy(dir + "/nan.npy", bad);
    CHECK_THROWS_AS(lesson_input(dir + "/nan.npy", "", 3, 0, 42), tfm::InputError);
}

TEST_CASE("counts are grouped by thousands and differences show their size") {
    CHECK(tfm::format_count(0) == "0");  // the lessons' cost tables use it
    CHECK(tfm::format_count(999) == "999");
    CHECK(tfm::format_count(1000) == "1,000");
    CHECK(tfm::format_count(150994944) == "150,994,944");
    CHECK(tfm::cli::format_diff(0.0) == "0");
    CHECK(tfm::cli::format_diff(2.220446049250313e-16) == "2.2e-16");
    CHECK(tfm::cli::shape_of(arma::mat(6, 8)) == "[6 × 8]");
    CHECK(tfm::cli::join_labels({"the", "cat"}) == "the, cat");
}

TEST_CASE("files handed in are checked against the shapes the lesson needs, naming the option") {
    const std::string dir = tfm::test::temp_dir("lesson_files");
    tfm::save_npy(dir + "/x.npy", arma::mat(4, 3, arma::fill::ones));
    CHECK(tfm::cli::read_rows("memory", dir + "/x.npy", 3).n_rows == 4);
    CHECK_THROWS_WITH(tfm::cli::read_rows("memory", dir + "/x.npy", 5),
                      Catch::Contains("--memory"));

    tfm::cli::Common c;
    c.d_model = 3;
    CHECK(tfm::cli::read_grad_output(c, 4).is_empty());  // no --grad-output
    c.grad_output = dir + "/x.npy";
    CHECK(tfm::cli::read_grad_output(c, 4).n_rows == 4);
    CHECK_THROWS_WITH(tfm::cli::read_grad_output(c, 5),
                      Catch::Contains("--grad-output") && Catch::Contains("[5 × 3]"));

    CHECK(tfm::cli::pick_row(3, true, arma::mat(4, 3)) == 3);
    CHECK_THROWS_WITH(tfm::cli::pick_row(4, true, arma::mat(4, 3)), Catch::Contains("--row 4"));
    // The default row falls back to the last one of a shorter X instead of failing.
    CHECK(tfm::cli::pick_row(1, false, arma::mat(1, 3)) == 0);
}

TEST_CASE("apply_weight_files loads --weights into the parameters, then writes --save-weights") {
    const std::string dir = tfm::test::temp_dir("weight_files");
    arma::mat w = {{1, 2}, {3, 4}}, grad(2, 2, arma::fill::zeros);
    const tfm::ParamList params = {{"w", &w, &grad, false}};
    tfm::save_params(dir + "/in.safetensors", params);
    w.fill(9);

    tfm::cli::Common c;
    tfm::cli::apply_weight_files(c, params, "00_test",
                                 tfm::cli::sizes);  // neither option: nothing happens
    CHECK(w(0, 0) == 9);
    c.weights = dir + "/in.safetensors";
    c.save_weights = dir + "/out.safetensors";
    tfm::cli::apply_weight_files(c, params, "00_test", tfm::cli::sizes);
    CHECK(w(1, 0) == 3);
    w.fill(0);
    tfm::load_params(dir + "/out.safetensors", params);
    CHECK(w(1, 1) == 4);
}

TEST_CASE("lesson_input from the shared options pads only with --mask padding") {
    tfm::cli::Common c;
    c.text = "the cat";
    c.pad = 3;
    CHECK(tfm::cli::lesson_input(c).labels.size() == 2);
    c.mask = "padding";
    CHECK(tfm::cli::lesson_input(c).labels.size() == 5);
}
