// The runner's promise (tests/main.cpp): a test case draws the same numbers alone as in
// a longer run, so `build/tests/unit --rng-seed N "name"` replays a failure. Checked by
// running this binary again on two hidden test cases and comparing what they drew.
#include "support/catch.hpp"

#include "lessons/run_lesson.hpp"

#include <unistd.h>
#include <armadillo>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace {

// Appends "where: the numbers, exactly" to $TFM_REPLAY_FILE.
void record(const std::string& where, const arma::mat& drawn) {
    const char* path = std::getenv("TFM_REPLAY_FILE");
    if (path == nullptr) return;
    std::ofstream out(path, std::ios::app);
    out << where << ":";
    char buf[64];
    for (double x : drawn) {
        std::snprintf(buf, sizeof buf, " %a", x);
        out << buf;
    }
    out << "\n";
}

// Runs this test binary again with `args`; returns what the hidden cases recorded.
std::map<std::string, std::string> rerun(const std::string& args) {
    const std::string file = tfm::test::temp_dir("replay") + "/drawn.txt";
    char self[4096];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    REQUIRE(n > 0);
    self[n] = '\0';
    const std::string command =
        "TFM_REPLAY_FILE='" + file + "' '" + self + "' " + args + " >/dev/null 2>&1";
    REQUIRE(std::system(command.c_str()) == 0);
    std::map<std::string, std::string> drawn;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
        const std::size_t colon = line.find(':');
        drawn[line.substr(0, colon)] = line.substr(colon + 1);
    }
    return drawn;
}

}  // namespace

// Hidden ([.]): they run only when asked for, by the test below.
TEST_CASE("replay noise: draws a thousand numbers", "[.replay]") {
    const arma::mat noise = arma::randn(1000, 1);
    record("noise", noise.rows(0, 1));
}

TEST_CASE("replay probe: draws numbers in two sections", "[.replay]") {
    record("probe", arma::randn(1, 3));
    SECTION("first") { record("first", arma::randn(1, 2)); }
    SECTION("second") { record("second", arma::randn(1, 2)); }
}

TEST_CASE("a test case draws the same numbers alone, after others, and section by section",
          "[cli][replay]") {
    const std::string probe = "\"replay probe: draws numbers in two sections\"";
    const auto alone = rerun(probe + " --rng-seed 7");
    const auto after_noise = rerun("\"[.replay]\" --order decl --rng-seed 7");
    const auto second_only = rerun(probe + " -c second --rng-seed 7");
    const auto other_seed = rerun(probe + " --rng-seed 8");
    REQUIRE(alone.count("first") == 1);
    REQUIRE(alone.count("second") == 1);
    REQUIRE(after_noise.count("noise") == 1);  // the noise did run first
    CHECK(after_noise.at("probe") == alone.at("probe"));
    CHECK(after_noise.at("first") == alone.at("first"));
    CHECK(after_noise.at("second") == alone.at("second"));
    CHECK(second_only.count("first") == 0);
    CHECK(second_only.at("second") == alone.at("second"));
    CHECK(other_seed.at("probe") != alone.at("probe"));  // the run's seed is used
}
