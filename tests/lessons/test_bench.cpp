// tools/bench (make bench's timings) at its smallest: it runs every small configuration,
// prints the dgemm peak and one line of figures per configuration, and never uses more
// threads than it is given. No time is checked: the machine may be busy.
#include "lessons/run_lesson.hpp"

#include <sstream>
#include <string>
#include <vector>
#include "support/catch.hpp"

using tfm::test::run_tool;

namespace {

std::vector<std::vector<std::string>> fields_of_lines(const std::string& text) {
    std::vector<std::vector<std::string>> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        std::istringstream words(line);
        std::vector<std::string> fields;
        for (std::string w; words >> w;) fields.push_back(w);
        lines.push_back(fields);
    }
    return lines;
}

}  // namespace

TEST_CASE("the bench prints the peak and every small configuration's figures, within its threads",
          "[lessons][bench]") {
    const auto r = run_tool("bench", {"--threads", "2", "--quick", "--repeats", "1", "lesson",
                                      "dates", "gpt", "bert", "positions", "vit"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    const auto lines = fields_of_lines(r.out);
    REQUIRE(lines.size() == 7);
    // peak THREADS N median min max
    REQUIRE(lines[0].size() == 6);
    CHECK(lines[0][0] == "peak");
    CHECK(lines[0][1] == "2");
    CHECK(std::stod(lines[0][3]) > 0);
    const std::vector<std::string> names = {"lesson", "dates", "gpt", "bert", "positions", "vit"};
    for (std::size_t i = 0; i < names.size(); ++i) {
        // CONFIG fwd median min max, step median min max, fwd GFLOP, step GFLOP, parts, BLAS
        const std::vector<std::string>& f = lines[i + 1];
        REQUIRE(f.size() == 11);
        CHECK(f[0] == names[i]);
        for (std::size_t k = 1; k <= 8; ++k) CHECK(std::stod(f[k]) > 0);
        CHECK(std::stod(f[2]) <= std::stod(f[1]));  // min ≤ median ≤ max
        CHECK(std::stod(f[1]) <= std::stod(f[3]));
        CHECK(std::stod(f[5]) <= std::stod(f[4]));
        CHECK(std::stod(f[4]) <= std::stod(f[6]));
        if (names[i] == "bert") {
            // BERT's step runs its head on the chosen 15% of the rows alone: less than
            // three forward passes (whose head is on every row), more than half of that.
            CHECK(std::stod(f[8]) < 3 * std::stod(f[7]));
            CHECK(std::stod(f[8]) > 1.5 * std::stod(f[7]));
        } else {
            CHECK(std::stod(f[8]) == Approx(3 * std::stod(f[7])).epsilon(1e-3));
        }
        CHECK(std::stoi(f[9]) * std::stoi(f[10]) <= 2);  // parts × BLAS threads
    }

    const auto bad = run_tool("bench", {"--threads", "1", "--parts", "2", "lesson"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("--parts 2 is more than --threads 1") != std::string::npos);
}
