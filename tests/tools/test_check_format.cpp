// tools/check-format.sh: the tree is laid out as .clang-format says, with no line over 100
// columns, and the check does fail on a file that is not.
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

Check check_format(const std::string& root) {
    const std::string out = tfm::test::temp_dir("format") + "/out";
    const std::string command = "sh tools/check-format.sh '" + root + "' >'" + out + "' 2>&1";
    const int status = std::system(command.c_str());
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
}

// A folder (not a git work tree) with the project's .clang-format and one file.
std::string tree(const std::string& text) {
    const std::string root = tfm::test::temp_dir("fmt-tree");
    std::system(("cp .clang-format '" + root + "/'").c_str());
    std::ofstream(root + "/a.cpp") << text;
    return root;
}

// The layout is clang-format 14's (Debian 12); with another version only widths are checked.
bool has_clang_format_14() {
    return std::system("clang-format --version 2>/dev/null | grep -q 'version 14\\.'") == 0;
}

}  // namespace

TEST_CASE("every C++ file is laid out as .clang-format says", "[format]") {
    const Check c = check_format(".");
    INFO(c.out);
    CHECK(c.exit_code == 0);
}

TEST_CASE("the layout check names a misformatted file and a line over 100 columns", "[format]") {
    SECTION("a file as clang-format writes it passes") {
        const Check c = check_format(tree("int f(int x) { return x + 1; }\n"));
        INFO(c.out);
        CHECK(c.exit_code == 0);
    }
    SECTION("a misformatted file fails, by name") {
        if (!has_clang_format_14()) {
            WARN("clang-format 14 is not installed: the layout is not checked");
            return;
        }
        const Check c = check_format(tree("int   f(int x){return x+1;}\n"));
        INFO(c.out);
        CHECK(c.exit_code == 1);
        CHECK_THAT(c.out, Catch::Contains("a.cpp:1"));
    }
    SECTION("a comment over 100 columns fails, with its width") {
        const Check c = check_format(tree("// " + std::string(98, 'x') + "\nint x;\n"));
        INFO(c.out);
        CHECK(c.exit_code == 1);
        CHECK_THAT(c.out, Catch::Contains("a.cpp:1: 101 columns"));
    }
}
