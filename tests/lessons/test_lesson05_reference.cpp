// Lesson 05 end to end against PyTorch: run the lesson binary on a fixture's input and
// weights (tests/reference/fixtures/ffn_block_*), and compare the output.npy it dumps
// with PyTorch's LN(x + FFN(x)) or x + FFN(LN(x)); and check that the weight names the
// lesson saves are the fixture's (DESIGN §5: linear1.*, linear2.*, norm.*); and with
// --grad-output, the gradients it dumps.
#include "io/npy.hpp"
#include "io/safetensors.hpp"
#include "lessons/run_lesson.hpp"
#include "reference/fixture.hpp"

#include "support/catch.hpp"

#include <set>

using namespace tfm;
using namespace tfm::test;

namespace {

std::vector<std::string> lesson_args(const Fixture& f) {
    std::vector<std::string> args = {"--input",      f.path("input.npy"),
                                     "--weights",    f.weights(),
                                     "--d-model",    std::to_string(f.integer("d_model")),
                                     "--d-ff",       std::to_string(f.integer("d_ff")),
                                     "--activation", f.text("activation"),
                                     "--quiet",      "--color",
                                     "never"};
    if (f.flag("norm_first")) args.push_back("--norm-first");
    return args;
}

std::set<std::string> names_in(const std::string& safetensors) {
    std::set<std::string> names;
    for (const auto& entry : load_safetensors(safetensors)) names.insert(entry.first);
    return names;
}

}  // namespace

TEST_CASE("lesson 05 given PyTorch's input and weights dumps PyTorch's output",
          "[reference][lesson05]") {
    const std::string name =
        GENERATE(as<std::string>{}, "ffn_block_post_relu", "ffn_block_post_gelu",
                 "ffn_block_pre_relu", "ffn_block_pre_gelu");
    INFO("fixture " << name);
    Fixture f(name);
    const std::string dir = temp_dir("lesson05_reference");
    std::vector<std::string> args = lesson_args(f);
    args.insert(args.end(), {"--dump-dir", dir});
    const RunResult r = run_lesson("05_ffn", args);
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    check_close("output", load_npy(dir + "/output.npy"), f.npy("output"), kForwardTolerance);
}

TEST_CASE("lesson 05 saves its weights under the names of DESIGN §5 that the fixtures use",
          "[reference][lesson05]") {
    Fixture f("ffn_block_post_relu");
    const std::string saved = temp_dir("lesson05_names") + "/weights.safetensors";
    std::vector<std::string> args = lesson_args(f);
    args.insert(args.end(), {"--save-weights", saved});
    const RunResult r = run_lesson("05_ffn", args);
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(names_in(saved) == names_in(f.weights()));
    // What it saved is what it loaded.
    const TensorMap ours = load_safetensors(saved), theirs = load_safetensors(f.weights());
    for (const auto& [tensor, value] : theirs) {
        INFO(tensor);
        CHECK(ours.at(tensor).shape == value.shape);
        CHECK(arma::approx_equal(ours.at(tensor).value, value.value, "absdiff", 0.0));
    }
}

TEST_CASE("lesson 05 with --grad-output dumps PyTorch's dL/dX and every parameter gradient",
          "[reference][lesson05][backward]") {
    const std::string name =
        GENERATE(as<std::string>{}, "ffn_block_post_relu", "ffn_block_pre_gelu");
    INFO("fixture " << name);
    Fixture f(name);
    const std::string dir = temp_dir("lesson05_gradients");
    std::vector<std::string> args = lesson_args(f);
    args.insert(args.end(), {"--grad-output", f.path("grad_output.npy"), "--dump-dir", dir});
    const RunResult r = run_lesson("05_ffn", args);
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    check_close("grad_input", load_npy(dir + "/grad_input.npy"), f.npy("grad_input"),
                kGradientTolerance);
    for (const std::string& param : f.grad_names()) {
        const std::string file = "grad." + param;
        check_close(file, load_npy(dir + "/" + file + ".npy"), f.npy(file), kGradientTolerance);
    }
}
