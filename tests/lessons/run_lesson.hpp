// Runs a lesson or tool binary the way a learner would, and captures what it says.
//
//   RunResult r = run_lesson("03_attention", {"--mask", "causal"}, "NO_COLOR=1");
//   CHECK(r.exit_code == 0);
//
// Binaries are found in LESSON_DIR / TOOL_DIR (set by the Makefile for tests/lessons/;
// "build/lessons" and "build/tools" otherwise), relative to the project root where
// the tests run.
#pragma once
#include <string>
#include <vector>

namespace tfm::test {

struct RunResult {
    int exit_code;    // the program's exit status; 128 + N when killed by signal N
    std::string out;  // stdout
    std::string err;  // stderr
};

// args are shell-quoted; env ("NAME=value NAME2=value") is put before the command.
RunResult run_lesson(const std::string& name, const std::vector<std::string>& args,
                     const std::string& env = "");
RunResult run_tool(const std::string& name, const std::vector<std::string>& args);
// Any program (a path, or a name found on PATH: "python3"), the same way.
RunResult run_program(const std::string& program, const std::vector<std::string>& args,
                      const std::string& env = "");
// The folder the lessons under test were built in (LESSON_DIR).
std::string lesson_dir();

// The lessons built in LESSON_DIR ("03_attention", …), sorted: the tests that run every
// lesson find a new one by themselves.
std::vector<std::string> lessons();

// A fresh, empty directory under /tmp, unique per call; removed when the tests end.
std::string temp_dir(const std::string& tag);

// Lines in s (a last line without '\n' counts too).
int count_lines(const std::string& s);

// How many times `needle` occurs in `haystack` (overlaps counted).
std::size_t occurrences(const std::string& haystack, const std::string& needle);
// Whether `needle` occurs in `haystack`.
bool contains(const std::string& haystack, const std::string& needle);
// Whether a lesson's output says `sentence`: narration is wrapped at word breaks, so the
// sentence may span lines.
bool says(const std::string& out, const std::string& sentence);

}  // namespace tfm::test
