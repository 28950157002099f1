// Every integer option of every lesson, at the two ends of the range its --help states and
// one past each: at the ends the lesson runs (exit 0), one past it refuses with the
// two-line error form and exit 2. The ranges are read from --help itself, so a new option
// is covered as soon as it declares one, and a lesson added later is found in LESSON_DIR.
// Each run at the largest end finishes in seconds (lesson 08's widths are narrowed for it).
#include "course/lesson_11.hpp"
#include "lessons/run_lesson.hpp"
#include "support/catch.hpp"

#include <map>
#include <regex>
#include <string>
#include <vector>

using tfm::test::count_lines;
using tfm::test::lessons;
using tfm::test::run_lesson;
using tfm::test::RunResult;

namespace {

struct Bound {
    std::string option;  // "d-model"
    long min, max;
};

// "--d-model N   model width … (1 to 1024; default: 8)", however --help wrapped it.
std::vector<Bound> bounds(const std::string& help) {
    std::vector<Bound> out;
    const std::regex entry(R"((?:^|\n) +(?:-[A-Za-z], )?--([a-z][a-z-]*) [A-Z]+\b)");
    const std::regex range(R"(\((-?[0-9]+) to (-?[0-9]+)[;)])");
    std::vector<std::pair<std::size_t, std::string>> starts;
    for (auto it = std::sregex_iterator(help.begin(), help.end(), entry);
         it != std::sregex_iterator(); ++it)
        starts.push_back({static_cast<std::size_t>(it->position(0) + it->length(0)), (*it)[1]});
    for (std::size_t i = 0; i < starts.size(); ++i) {
        const std::size_t end = i + 1 < starts.size() ? starts[i + 1].first : help.size();
        const std::string text = help.substr(starts[i].first, end - starts[i].first);
        std::smatch m;
        if (std::regex_search(text, m, range))
            out.push_back({starts[i].second, std::stol(m[1]), std::stol(m[2])});
    }
    return out;
}

// What else a value needs to be valid: --heads must divide d_model (and lesson 08's timed
// width), so a width or head count at an end comes with a matching partner.
std::vector<std::string> with_partners(const std::string& lesson, const std::string& help,
                                       const std::string& option, long value) {
    std::vector<std::string> args{"--" + option, std::to_string(value)};
    const bool has_heads = help.find("--heads N") != std::string::npos;
    if ((option == "d-model" || option == "timing-width") && value % 2 != 0 && has_heads)
        args.insert(args.end(), {"--heads", "1"});
    if (option == "heads") args.insert(args.end(), {"--d-model", std::to_string(value)});
    if (option == "heads" && lesson == "08_rnn_vs_attention")
        args.insert(args.end(), {"--timing-width", std::to_string(value)});
    // What costs time and is not the option under test: the timed tables, and lesson 10's
    // thousand draws per sampling setting.
    if (help.find("--timing") != std::string::npos) args.push_back("--timing=false");
    if (option != "samples" && help.find("--samples N") != std::string::npos)
        args.insert(args.end(), {"--samples", "20"});
    // Lesson 12's table hides every held-out character in turn: one poem is enough here.
    if (option != "eval-poems" && help.find("--eval-poems N") != std::string::npos)
        args.insert(args.end(), {"--eval-poems", "1"});
    return args;
}

// Options whose largest valid value depends on the input, not on a constant: the row of
// X (the default sentence has 6 tokens) and the top-k of lessons 09 and 10 (the dates
// vocabulary's 71 tokens) and of lesson 11 (the poems' vocabulary).
long effective_max(const std::string& lesson, const Bound& b) {
    if (b.option == "row") return 5;
    if (b.option == "top-k" && lesson == "11_gpt")
        return static_cast<long>(tfm::course::load_corpus(tfm::poems_path()).vocab.size());
    if (b.option == "top-k") return 71;  // lessons 09 and 10
    return b.max;
}

std::string shown(const std::string& lesson, const std::vector<std::string>& args) {
    std::string s = lesson;
    for (const std::string& a : args) s += " " + a;
    return s;
}

}  // namespace

TEST_CASE("every lesson runs at both ends of each integer option and refuses one past",
          "[bounds]") {
    const std::vector<std::string> names = lessons();
    REQUIRE(names.size() >= 9);
    std::size_t checked = 0;
    for (const std::string& lesson : names) {
        const RunResult help = run_lesson(lesson, {"--help"}, "NO_COLOR=1");
        REQUIRE(help.exit_code == 0);
        const std::vector<Bound> found = bounds(help.out);
        INFO(lesson << " --help:\n" << help.out);
        CHECK_FALSE(found.empty());  // every lesson has --precision at least
        for (const Bound& b : found) {
            const long max = effective_max(lesson, b);
            for (long value : {b.min, max}) {
#if defined(__SANITIZE_ADDRESS__)
                // The largest sizes take seconds in the plain build and minutes under
                // ASan: there the test runs every option at its small end only.
                if (value == max && value != b.min) continue;
#endif
                std::vector<std::string> args = with_partners(lesson, help.out, b.option, value);
                args.push_back("--quiet");
                const RunResult r = run_lesson(lesson, args, "NO_COLOR=1");
                INFO(shown(lesson, args) << "\nstderr: " << r.err);
                CHECK(r.exit_code == 0);
            }
#if defined(__SANITIZE_ADDRESS__)
            ++checked;
            continue;  // the refusals happen in the parser, before any allocation: plain only
#endif
            for (long value : {b.min - 1, max + 1}) {
                const std::vector<std::string> args =
                    with_partners(lesson, help.out, b.option, value);
                const RunResult r = run_lesson(lesson, args, "NO_COLOR=1");
                INFO(shown(lesson, args) << "\nstdout: " << r.out << "\nstderr: " << r.err);
                CHECK(r.exit_code == 2);
                CHECK(count_lines(r.err) == 2);
                CHECK(r.err.rfind(lesson + ": error: ", 0) == 0);
                CHECK(r.out.empty());
            }
            ++checked;
        }
    }
    INFO(checked << " options checked");
    CHECK(checked >= 40);
}
