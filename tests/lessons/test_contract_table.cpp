// The bad-input contract as a table: every lesson against every class of bad input it can
// be given (found from its --help, so a new lesson or option is covered at once). Each
// must end with exit status 2, the two-line error form on stderr ("PROGRAM: error: …",
// "Try 'PROGRAM --help'."), nothing on stdout, and no file or folder left behind. Every
// case stops before the lesson allocates or computes anything large, so the table runs in
// seconds (issue 17 lists the cases and their messages).
#include "io/npy.hpp"
#include "lessons/run_lesson.hpp"
#include "support/catch.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace tfm::test;

namespace {

struct BadInput {
    std::string needs;  // the option the lesson must have ("" for every lesson)
    std::string what;
    std::vector<std::string> args;
};

// Every file and folder under dir, as relative paths.
std::vector<std::string> listing(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
        out.push_back(std::filesystem::relative(e.path(), dir).string());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("every lesson meets the bad-input contract for every class of bad input",
          "[lessons][contract]") {
    const std::string dir = temp_dir("contract");
    std::ofstream(dir + "/junk.safetensors") << "12345678{not json";
    std::ofstream(dir + "/junk.npy") << "\x93NUMPY\x01\x00\x10\x00{'descr': '<f8'}";
    arma::mat nan(7, 8, arma::fill::ones);
    nan(1, 1) = arma::datum::nan;
    tfm::save_npy(dir + "/nan.npy", nan);
    std::filesystem::create_directory(dir + "/folder.safetensors");
    std::string long_text;
    while (long_text.size() < 100000) long_text += "cat ";
    const std::vector<BadInput> table = {
        {"", "an unknown option", {"--no-such-option"}},
        {"", "a non-numeric value", {"--seed", "abc"}},
        {"", "an empty --dump-dir", {"--dump-dir", ""}},
        {"", "a malformed --max-memory", {"--max-memory", "lots"}},
        {"--d-model", "a size past its range", {"--d-model", "100000"}},
        {"--heads", "heads that do not divide d_model", {"--heads", "3"}},
        {"--text", "text that is not UTF-8", {"--text", "ab\xc0\xaf"}},
        {"--text", "a sentence over the budget", {"--text", long_text}},
        {"--input", "a malformed --input", {"--input", dir + "/junk.npy"}},
        {"--input", "NaN in --input", {"--input", dir + "/nan.npy"}},
        {"--input", "a missing --input", {"--input", dir + "/absent.npy"}},
        {"--memory", "NaN in --memory", {"--memory", dir + "/nan.npy"}},
        {"--weights", "a malformed --weights", {"--weights", dir + "/junk.safetensors"}},
        {"--save-weights", "an empty --save-weights", {"--save-weights", ""}},
        {"--save-weights",
         "--save-weights naming a folder",
         {"--save-weights", dir + "/folder.safetensors"}},
        {"--grad-output", "NaN in --grad-output", {"--grad-output", dir + "/nan.npy"}},
        {"--layers",
         "sizes too big together",
         {"--d-model", "1024", "--d-ff", "8192", "--layers", "24", "--heads", "1"}},
    };
    const std::vector<std::string> before = listing(dir);
    int runs = 0;
    for (const std::string& lesson : lessons()) {
        const std::string help = run_lesson(lesson, {"--help"}).out;
        for (const BadInput& bad : table) {
            if (!bad.needs.empty() && help.find(bad.needs + " ") == std::string::npos) continue;
            std::vector<std::string> args = bad.args;
            // The dump folder a lesson would make, so that a run that fails after making it
            // shows whether it removed it again.
            if (bad.what != "an empty --dump-dir")
                args.insert(args.end(), {"--dump-dir", dir + "/dump/" + lesson});
            const RunResult r = run_lesson(lesson, args);
            ++runs;
            INFO(lesson << ": " << bad.what << "\nstdout: " << r.out.substr(0, 300)
                        << "\nstderr: " << r.err.substr(0, 300));
            CHECK(r.exit_code == 2);
            CHECK(count_lines(r.err) == 2);
            CHECK(r.err.rfind(lesson + ": error: ", 0) == 0);
            CHECK(contains(r.err, "\nTry '" + lesson + " --help'.\n"));
            CHECK(r.out.empty());
            CHECK(listing(dir) == before);
        }
    }
    CHECK(runs >= 100);  // ten lessons, most classes each
}
