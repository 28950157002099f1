// tools/check-layers.sh: the layering rule of src/ (docs/contributing.md) holds for the
// tree as it is, and the check does fail on an include that goes up the layers, on a
// cycle, and on a folder it does not know.
#include "support/catch.hpp"

#include "lessons/run_lesson.hpp"

#include <sys/wait.h>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace {

struct Check {
    int exit_code;
    std::string out;
};

// Runs the check on ROOT (the tests run from the project root).
Check check_layers(const std::string& root) {
    const std::string out = tfm::test::temp_dir("layers") + "/out";
    const std::string command = "sh tools/check-layers.sh '" + root + "' >'" + out + "' 2>&1";
    const int status = std::system(command.c_str());
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
}

// A small src/ tree: core ← ops ← nn, plus whatever `extra` adds.
std::string tree(const std::string& extra_path = "", const std::string& extra_text = "") {
    const std::string root = tfm::test::temp_dir("tree");
    std::system(
        ("mkdir -p '" + root + "/src/core' '" + root + "/src/ops' '" + root + "/src/nn'").c_str());
    std::ofstream(root + "/src/core/error.hpp") << "#pragma once\n";
    std::ofstream(root + "/src/ops/mask.hpp") << "#pragma once\n#include \"core/error.hpp\"\n";
    std::ofstream(root + "/src/nn/linear.hpp") << "#pragma once\n#include \"ops/mask.hpp\"\n";
    if (!extra_path.empty()) {
        std::system(("mkdir -p \"$(dirname '" + root + "/" + extra_path + "')\"").c_str());
        std::ofstream(root + "/" + extra_path) << extra_text;
    }
    return root;
}

}  // namespace

TEST_CASE("the includes of src/ follow the layers, with no cycle", "[layers]") {
    const Check c = check_layers(".");
    INFO(c.out);
    CHECK(c.exit_code == 0);
    CHECK_THAT(c.out, Catch::Contains("follow the layers, no cycle"));
}

TEST_CASE("the layering check accepts a tree that goes down and names what goes up", "[layers]") {
    SECTION("a correct tree passes") {
        const Check c = check_layers(tree());
        INFO(c.out);
        CHECK(c.exit_code == 0);
    }
    SECTION("ops including nn goes up the layers") {
        const Check c = check_layers(tree("src/ops/softmax.hpp", "#include \"nn/linear.hpp\"\n"));
        INFO(c.out);
        CHECK(c.exit_code == 1);
        CHECK_THAT(c.out, Catch::Contains("src/ops/softmax.hpp:1: ops → nn goes up the layers"));
    }
    SECTION("two folders of one level that include each other are a cycle") {
        const std::string root = tree("src/io/npy.hpp", "#include \"text/tokenizer.hpp\"\n");
        std::system(("mkdir -p '" + root + "/src/text'").c_str());
        std::ofstream(root + "/src/text/tokenizer.hpp") << "#include \"io/npy.hpp\"\n";
        const Check c = check_layers(root);
        INFO(c.out);
        CHECK(c.exit_code == 1);
        CHECK_THAT(c.out, Catch::Contains("a cycle of includes"));
    }
    SECTION("a folder without a level is named") {
        const Check c = check_layers(tree("src/misc/util.hpp", "#include \"core/error.hpp\"\n"));
        INFO(c.out);
        CHECK(c.exit_code == 1);
        CHECK_THAT(c.out, Catch::Contains("src/misc/: a folder the layering rule does not know"));
    }
    SECTION("an include from outside src/ is named") {
        const Check c =
            check_layers(tree("src/nn/layer.cpp", "#include \"lessons/run_lesson.hpp\"\n"));
        INFO(c.out);
        CHECK(c.exit_code == 1);
        CHECK_THAT(c.out, Catch::Contains("which is not a file of src/"));
    }
}
