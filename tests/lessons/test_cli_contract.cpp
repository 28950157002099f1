// The command-line contract every lesson and tool keeps (GNU conventions), checked on
// the binaries themselves: --version, the two-line error with a did-you-mean, a full
// disk, and no colour for TERM=dumb or NO_COLOR, on a real terminal (a pseudo-terminal).
#include "lessons/run_lesson.hpp"

#include "support/catch.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>
#include <cstdlib>
#include <string>

using tfm::test::contains;
using tfm::test::run_lesson;
using tfm::test::RunResult;

namespace {

const char* const kLessons[] = {
    "01_embedding", "02_qkv",     "03_attention",        "04_multi_head", "05_ffn",
    "06_encoder",   "07_decoder", "08_rnn_vs_attention", "09_full_model", "10_decoding",
    "11_gpt",       "12_bert",    "13_positions"};

// Runs `command` through /bin/sh with stdout and stderr on a new pseudo-terminal, as in
// a terminal window; returns what the terminal showed.
std::string run_on_terminal(const std::string& command) {
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(master >= 0);
    REQUIRE(::grantpt(master) == 0);
    REQUIRE(::unlockpt(master) == 0);
    const std::string slave_name = ::ptsname(master);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::setsid();
        const int slave = ::open(slave_name.c_str(), O_RDWR);
        if (slave < 0) ::_exit(127);
        ::dup2(slave, STDOUT_FILENO);
        ::dup2(slave, STDERR_FILENO);
        const int null = ::open("/dev/null", O_RDONLY);
        ::dup2(null, STDIN_FILENO);
        ::close(master);
        ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    std::string seen;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(master, buf, sizeof buf);
        if (n > 0)
            seen.append(buf, static_cast<std::size_t>(n));
        else if (n < 0 && errno == EINTR)
            continue;
        else
            break;  // EIO once the program has closed the terminal
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(master);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    return seen;
}

std::string lesson_path(const std::string& name) { return std::string(LESSON_DIR) + "/" + name; }

}  // namespace

TEST_CASE("every lesson prints its version and commit with --version, on stdout, exit 0",
          "[lessons][cli]") {
    for (const char* lesson : kLessons) {
        INFO(lesson);
        const RunResult r = run_lesson(lesson, {"--version"});
        CHECK(r.exit_code == 0);
        CHECK(r.err.empty());
        CHECK(r.out.rfind(std::string(lesson) + " (transformer-course) ", 0) == 0);
        CHECK(contains(r.out, ", commit "));
        CHECK(tfm::test::count_lines(r.out) == 1);
    }
}

TEST_CASE("a mistyped option gets the two-line error with a did-you-mean, exit 2",
          "[lessons][cli]") {
    const RunResult r = run_lesson("03_attention", {"--d_model", "8"});
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err ==
          "03_attention: error: unknown option '--d_model'; did you mean '--d-model'?\n"
          "Try '03_attention --help'.\n");
}

TEST_CASE("every lesson's bad input is two lines on stderr naming the option and the range, exit 2",
          "[lessons][cli]") {
    for (const char* lesson : kLessons) {
        INFO(lesson);
        const RunResult r = run_lesson(lesson, {"--precision", "many"});
        CHECK(r.exit_code == 2);
        CHECK(r.err == std::string(lesson) +
                           ": error: --precision: 'many' is not a whole number from 0 to 15\n" +
                           "Try '" + lesson + " --help'.\n");
        const RunResult missing = run_lesson(lesson, {"--seed"});
        CHECK(missing.exit_code == 2);
        CHECK(tfm::test::count_lines(missing.err) == 2);
        CHECK(contains(missing.err, "--seed needs a value"));
    }
}

TEST_CASE("tools keep the same contract: model_table --version and a mistyped option",
          "[lessons][cli]") {
    const RunResult v = tfm::test::run_tool("model_table", {"--version"});
    CHECK(v.exit_code == 0);
    CHECK(v.out.rfind("model_table (transformer-course) ", 0) == 0);
    const RunResult bad = tfm::test::run_tool("model_table", {"--seqlen", "4"});
    CHECK(bad.exit_code == 2);
    CHECK(bad.err ==
          "model_table: error: unknown option '--seqlen'; did you mean '--seq-len'?\n"
          "Try 'model_table --help'.\n");
}

TEST_CASE("every --help example command is accepted by its lesson", "[lessons][cli]") {
    for (const char* lesson : kLessons) {
        INFO(lesson);
        const RunResult help = run_lesson(lesson, {"--help"});
        REQUIRE(help.exit_code == 0);
        const std::size_t at = help.out.find("\nExamples:\n");
        REQUIRE(at != std::string::npos);
        CHECK(contains(help.out, "\nThe lesson explained: docs/"));
        // Each example with --help added: its options and values parse (nothing runs).
        std::size_t line = at + 11;
        for (int i = 0; i < 2; ++i) {
            const std::size_t end = help.out.find('\n', line);
            const std::string command = help.out.substr(line + 2, end - line - 2);
            INFO(command);
            REQUIRE(command.rfind("build/lessons/", 0) == 0);
            const std::string run = lesson_path(command.substr(14)) + " --help >/dev/null 2>&1";
            CHECK(std::system(run.c_str()) == 0);
            line = end + 1;
        }
    }
}

TEST_CASE("a write error on stdout is reported and exits non-zero", "[lessons][cli]") {
    for (const std::string args : {"", " --help", " --version"}) {
        INFO("01_embedding" << args << " > /dev/full");
        const std::string dir = tfm::test::temp_dir("full");
        const std::string command =
            lesson_path("01_embedding") + args + " > /dev/full 2> " + dir + "/err </dev/null";
        const int status = std::system(command.c_str());
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 1);
        std::FILE* f = std::fopen((dir + "/err").c_str(), "r");
        REQUIRE(f != nullptr);
        char line[512] = {0};
        CHECK(std::fgets(line, sizeof line, f) != nullptr);
        std::fclose(f);
        // The reason is known when the last flush fails; an earlier failed write loses it.
        CHECK(std::string(line).rfind("01_embedding: error: write error on standard output", 0) ==
              0);
    }
}

TEST_CASE("on a terminal lessons colour their output, except with TERM=dumb or NO_COLOR",
          "[lessons][cli]") {
    const std::string lesson = lesson_path("01_embedding");
    CHECK(contains(run_on_terminal("TERM=xterm NO_COLOR= " + lesson), "\033["));
    CHECK_FALSE(contains(run_on_terminal("TERM=dumb " + lesson), "\033["));
    CHECK_FALSE(contains(run_on_terminal("TERM=xterm NO_COLOR=1 " + lesson), "\033["));
    CHECK(contains(run_on_terminal("TERM=dumb " + lesson + " --color always"), "\033["));
}
