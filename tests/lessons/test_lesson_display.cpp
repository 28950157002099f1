// Lessons as a learner sees them in any terminal: --help fits 80 columns with no word of a
// description lost to the wrapping, and masks print as whole numbers.
#include "lessons/run_lesson.hpp"

#include "io/printer.hpp"

#include <set>
#include <sstream>
#include <string>
#include <vector>
#include "support/catch.hpp"

using tfm::test::run_lesson;
using tfm::test::RunResult;

namespace {

const char* const kLessons[] = {
    "01_embedding", "02_qkv",     "03_attention",        "04_multi_head", "05_ffn",
    "06_encoder",   "07_decoder", "08_rnn_vs_attention", "09_full_model", "10_decoding"};

// Descriptions of shared options, word for word as src/cli/options.cpp has them.
const char* const kShared[] = {
    "random seed: the same seed gives the same output, byte for byte",
    "colour and heat shading: auto (a terminal, not with TERM=dumb or NO_COLOR), always, never",
    "digits after the decimal point",
};
const char* const kInput = "use this matrix (n rows, d_model columns) as the input X";

std::set<std::string> words_of(const std::string& text) {
    std::set<std::string> words;
    std::istringstream in(text);
    for (std::string word; in >> word;) words.insert(word);
    return words;
}

}  // namespace

TEST_CASE("every lesson's --help fits 80 columns and keeps every word of the shared descriptions",
          "[lessons][help]") {
    for (const char* lesson : kLessons) {
        const RunResult r = run_lesson(lesson, {"--help"});
        INFO(lesson << "\n" << r.out);
        REQUIRE(r.exit_code == 0);
        std::istringstream lines(r.out);
        for (std::string line; std::getline(lines, line);) CHECK(tfm::display_width(line) <= 80);
        const std::set<std::string> shown = words_of(r.out);
        std::vector<std::string> descriptions(std::begin(kShared), std::end(kShared));
        if (r.out.find("--input") != std::string::npos) descriptions.push_back(kInput);
        for (const std::string& description : descriptions)
            for (const std::string& word : words_of(description)) {
                INFO(word);
                CHECK(shown.count(word) == 1);
            }
    }
}

TEST_CASE("every printed mask shows whole numbers, 0 and 1, whatever the precision",
          "[lessons][mask]") {
    // The row of the first token: it may look only at itself, so 0 then 1s.
    const struct {
        const char* lesson;
        std::vector<std::string> args;
        const char* first_row;
    } cases[] = {
        {"03_attention",
         {"--mask", "causal", "--color", "never"},
         "the    0    1    1    1    1    1\n"},
        {"07_decoder",
         {"--color", "never"},
         "<bos>      0      1      1      1      1      1      1\n"},
    };
    for (const auto& c : cases) {
        for (const char* precision : {"4", "2"}) {
            std::vector<std::string> args = c.args;
            args.insert(args.end(), {"--precision", precision});
            const RunResult r = run_lesson(c.lesson, args);
            INFO(c.lesson << " --precision " << precision << "\n" << r.out);
            REQUIRE(r.exit_code == 0);
            CHECK(r.out.find(c.first_row) != std::string::npos);
        }
    }
}
