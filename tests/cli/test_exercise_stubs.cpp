// The stub check of `make test` (every exercise test must fail against the stubs) runs on
// tests/exercises/stubs/, a copy of lessons/exercises/ as shipped, so that a learner's
// answers, committed or not, never count as stubs. This test keeps the copy honest: in
// git, as shipped (origin/main when the clone has it, else HEAD), each stub is identical
// to its copy. The working tree is not compared: it is the learner's.
#include "support/catch.hpp"

#include <array>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

namespace {

// Output of a shell command, and whether it succeeded.
std::pair<bool, std::string> shell(const std::string& command) {
    std::string out;
    std::FILE* pipe = ::popen((command + " 2>/dev/null").c_str(), "r");
    if (pipe == nullptr) return {false, out};
    std::array<char, 4096> buf;
    for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0;)
        out.append(buf.data(), n);
    return {::pclose(pipe) == 0, out};
}

}  // namespace

TEST_CASE("the pristine stubs are the shipped lessons/exercises files, byte for byte",
          "[exercises][stubs]") {
    if (!shell("git rev-parse --is-inside-work-tree").first) {
        WARN("not a git checkout: the stub copy cannot be compared with what was shipped");
        return;
    }
    const std::string ref =
        shell("git rev-parse --verify -q origin/main").first ? "origin/main" : "HEAD";
    const auto [listed, names] = shell("git ls-tree --name-only " + ref + " lessons/exercises/");
    REQUIRE(listed);
    int compared = 0;
    std::size_t start = 0;
    for (std::size_t end; (end = names.find('\n', start)) != std::string::npos; start = end + 1) {
        const std::string path = names.substr(start, end - start);  // lessons/exercises/NN_x.cpp
        const std::string file = std::filesystem::path(path).filename().string();
        if (file.size() < 4 || !std::isdigit(static_cast<unsigned char>(file[0])) ||
            file.substr(file.size() - 4) != ".cpp")
            continue;
        INFO(ref << ":" << path << " against " << ref << ":tests/exercises/stubs/" << file);
        const auto shipped = shell("git show " + ref + ":" + path);
        const auto copy = shell("git show " + ref + ":tests/exercises/stubs/" + file);
        REQUIRE(shipped.first);
        REQUIRE(copy.first);
        CHECK(shipped.second == copy.second);
        ++compared;
    }
    CHECK(compared > 0);  // the listing was read: one per lesson with exercises
}
