#include "lessons/run_lesson.hpp"

#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#ifndef LESSON_DIR
#define LESSON_DIR "build/lessons"
#endif
#ifndef TOOL_DIR
#define TOOL_DIR "build/tools"
#endif

namespace tfm::test {
namespace {

// Every temporary directory made by temp_dir(), removed at exit.
struct TempDirs {
    std::vector<std::string> paths;
    ~TempDirs() {
        std::error_code ec;
        for (const std::string& p : paths) std::filesystem::remove_all(p, ec);
    }
};
TempDirs& temp_dirs() {
    static TempDirs dirs;
    return dirs;
}

std::string shell_quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

RunResult run(const std::string& program, const std::vector<std::string>& args,
              const std::string& env) {
    const std::string dir = temp_dir("run");
    const std::string out = dir + "/stdout", err = dir + "/stderr";
    std::string command = env.empty() ? "" : env + " ";
    command += shell_quote(program);
    for (const std::string& a : args) command += " " + shell_quote(a);
    command += " </dev/null >" + shell_quote(out) + " 2>" + shell_quote(err);
    const int status = std::system(command.c_str());
    if (status == -1) throw std::runtime_error("cannot run: " + command);
    RunResult r;
    // The shell reports a child killed by signal N as exit status 128 + N.
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(out);
    r.err = slurp(err);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    return r;
}

}  // namespace

RunResult run_lesson(const std::string& name, const std::vector<std::string>& args,
                     const std::string& env) {
    return run(std::string(LESSON_DIR) + "/" + name, args, env);
}

RunResult run_tool(const std::string& name, const std::vector<std::string>& args) {
    return run(std::string(TOOL_DIR) + "/" + name, args, "");
}

RunResult run_program(const std::string& program, const std::vector<std::string>& args,
                      const std::string& env) {
    return run(program, args, env);
}

std::string lesson_dir() { return LESSON_DIR; }

std::vector<std::string> lessons() {
    std::vector<std::string> names;
    const std::regex lesson("[0-9][0-9]_[a-z0-9_]+");
    if (DIR* dir = ::opendir(LESSON_DIR)) {
        while (const dirent* e = ::readdir(dir)) {
            const std::string name = e->d_name;
            if (std::regex_match(name, lesson)) names.push_back(name);
        }
        ::closedir(dir);
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string temp_dir(const std::string& tag) {
    std::string pattern = "/tmp/tfm-" + tag + "-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr)
        throw std::runtime_error("mkdtemp failed for " + pattern);
    temp_dirs().paths.push_back(pattern);
    return pattern;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

bool says(const std::string& out, const std::string& sentence) {
    std::string flat = out;
    for (char& c : flat)
        if (c == '\n') c = ' ';
    return contains(flat, sentence);
}

std::size_t occurrences(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = haystack.find(needle); at != std::string::npos;
         at = haystack.find(needle, at + 1))
        ++n;
    return n;
}

int count_lines(const std::string& s) {
    int lines = 0;
    for (char c : s) lines += c == '\n';
    if (!s.empty() && s.back() != '\n') ++lines;
    return lines;
}

}  // namespace tfm::test
