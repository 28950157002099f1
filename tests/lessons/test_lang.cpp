// The course in two languages (issue 16), checked on the lessons themselves:
//   - every lesson, with its defaults and its main options, speaks Chinese under --lang zh:
//     exit 0, no line of English narration, every line within 100 display columns, and the
//     very same tensors (--dump-dir) as under --lang en (tools/check-lang.py does the three);
//   - the catalogue is complete: every message of the code translated, none fuzzy
//     (tools/po.py check), and that check does fail on an untranslated message;
//   - --lang's errors, and a missing catalogue.
#include "lessons/run_lesson.hpp"

#include "support/catch.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using tfm::test::contains;
using tfm::test::lesson_dir;
using tfm::test::lessons;
using tfm::test::run_lesson;
using tfm::test::run_program;
using tfm::test::RunResult;

namespace {

struct LangRun {
    const char* lesson;
    std::vector<std::string> args;   // the lesson's own options (defaults when empty)
    std::vector<std::string> allow;  // lines that are data, not narration (check-lang --allow)
};

// Lines that are data, not narration: the learner's sentence (the lessons' default --text,
// quoted, or wrapped onto a line of its own), and the rows of a terminal plot (its o and x
// markers).
const char* const kSentence = "(the )?cat sat on the mat";
// Lesson 03's table of the keys each query keeps: its cells list the learner's tokens.
const char* const kTokenList = "^[0-9]+ \\S+ {2,}\\S";
const char* const kPlotRow = "^ *-?[0-9.]* *[│┤]";

// Each lesson's defaults first, then its main options. 08's timing is measured wall time:
// switched off so the run is quick (its tensors do not depend on it).
const std::vector<LangRun>& runs() {
    static const std::vector<LangRun> all = {
        {"01_embedding", {}, {}},
        {"01_embedding", {"--text", "the cat sat on the mat"}, {}},
        {"01_embedding", {"--d-model", "16"}, {}},
        {"02_qkv", {}, {kSentence}},
        {"02_qkv", {"--d-model", "12"}, {kSentence}},
        {"03_attention", {}, {kTokenList}},
        {"03_attention", {"--mask", "causal"}, {kTokenList}},
        {"03_attention", {"--mask", "padding", "--pad", "2"}, {kTokenList}},
        {"04_multi_head", {}, {}},
        {"04_multi_head", {"--d-model", "12", "--heads", "3"}, {}},
        {"05_ffn", {}, {}},
        {"05_ffn", {"--activation", "gelu"}, {}},
        {"05_ffn", {"--norm-first", "--row", "0"}, {}},
        {"06_encoder", {}, {kSentence}},
        {"06_encoder", {"--layers", "1"}, {kSentence}},
        {"07_decoder", {}, {kSentence}},
        {"07_decoder", {"--target", "le chat"}, {kSentence}},
        {"08_rnn_vs_attention", {"--timing=false"}, {kPlotRow}},
        {"08_rnn_vs_attention", {"--rho", "0.9,1.1", "--timing=false"}, {kPlotRow}},
        {"09_full_model", {}, {}},
        {"09_full_model", {"--text", "3 March 1999"}, {}},
        {"10_decoding", {}, {}},
        {"10_decoding", {"--text", "3/4/2021", "--beam", "8"}, {}},
        {"11_gpt", {}, {}},
        {"11_gpt", {"--prompt", "春眠不觉晓，"}, {}},
        {"12_bert", {}, {}},
        {"12_bert", {"--text", "春眠不觉<mask>，处处闻啼<mask>。"}, {}},
        {"13_positions", {}, {}},
        {"13_positions", {"--pe", "alibi"}, {}},
        {"13_positions", {"--digits", "12345678901234567"}, {}},
        {"14_images", {}, {kSentence}},
        {"14_images", {"--digit", "3", "--index", "12"}, {kSentence}},
    };
    return all;
}

bool sanitized_build() { return lesson_dir().find("asan") != std::string::npos; }

RunResult check_lang(const LangRun& r) {
    std::vector<std::string> args = {"tools/check-lang.py", lesson_dir() + "/" + r.lesson};
    for (const std::string& a : r.allow) {
        args.push_back("--allow");
        args.push_back(a);
    }
    if (!r.args.empty()) {
        args.push_back("--");
        args.insert(args.end(), r.args.begin(), r.args.end());
    }
    return run_program("python3", args);
}

void write(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
}

}  // namespace

TEST_CASE("every lesson is listed for the language check", "[lang]") {
    // A new lesson must bring its runs here (and its translation to po/zh/).
    for (const std::string& name : lessons()) {
        const bool listed = std::any_of(runs().begin(), runs().end(),
                                        [&](const LangRun& r) { return name == r.lesson; });
        INFO(name << " has no run in tests/lessons/test_lang.cpp");
        CHECK(listed);
    }
}

TEST_CASE("every lesson speaks Chinese, with its defaults and its main options", "[lang]") {
    // The sanitized build runs each lesson's defaults only: the same code, six times slower.
    for (const LangRun& r : runs()) {
        if (sanitized_build() && !r.args.empty()) continue;
        std::string name = r.lesson;
        for (const std::string& a : r.args) name += " " + a;
        DYNAMIC_SECTION(name) {
            const RunResult check = check_lang(r);
            INFO(check.out << check.err);
            CHECK(check.exit_code == 0);
            CHECK(check.out.empty());
        }
    }
}

TEST_CASE("the language check rejects English narration, a wide line and a changed tensor",
          "[lang]") {
    // A fake lesson: a shell script that answers --lang and --dump-dir as a lesson does.
    const std::string dir = tfm::test::temp_dir("lang");
    const auto fake = [&](const std::string& name, const std::string& zh_line,
                          const std::string& zh_tensor) {
        const std::string path = dir + "/" + name;
        write(path,
              "#!/bin/sh\n"
              "lang=en; dump=\n"
              "while [ $# -gt 0 ]; do case $1 in --lang) lang=$2; shift;; "
              "--dump-dir) dump=$2; shift;; esac; shift; done\n"
              "if [ -n \"$dump\" ]; then mkdir -p \"$dump\"; "
              "if [ $lang = zh ]; then printf '" +
                  zh_tensor +
                  "' > \"$dump/x.npy\"; "
                  "else printf '1 2 3' > \"$dump/x.npy\"; fi; fi\n"
                  "if [ $lang = zh ]; then printf '%s\\n' '" +
                  zh_line +
                  "'; "
                  "else echo 'The weights of every row sum to one.'; fi\n");
        std::filesystem::permissions(path, std::filesystem::perms::owner_all);
        return run_program("python3", {"tools/check-lang.py", path});
    };
    const RunResult good = fake("good", "每一行的权重之和为 1，形状 3×4。Q·Kᵀ 的 weights", "1 2 3");
    INFO(good.out << good.err);
    CHECK(good.exit_code == 0);

    const RunResult english = fake("english", "注意：the weights of every row sum to one", "1 2 3");
    CHECK(english.exit_code == 1);
    CHECK(contains(english.out, "is English"));

    const RunResult capitals = fake("capitals", "图例：A AA E A AA", "1 2 3");
    CHECK(capitals.exit_code == 0);  // a plot's markers are not narration

    const RunResult wide =
        fake("wide", std::string(51, 'x') + "宽宽宽宽宽宽宽宽宽宽宽宽宽宽宽宽宽宽宽宽宽宽宽宽宽",
             "1 2 3");
    CHECK(wide.exit_code == 1);
    CHECK(contains(wide.out, "101 columns wide"));

    const RunResult changed = fake("changed", "每一行的权重之和为 1。", "1 2 4");
    CHECK(changed.exit_code == 1);
    CHECK(contains(changed.out, "x.npy differs"));
}

TEST_CASE("the catalogue is complete: every message translated, none fuzzy", "[lang]") {
    const RunResult check = run_program("python3", {"tools/po.py", "check"});
    INFO(check.out << check.err);
    CHECK(check.exit_code == 0);
    CHECK(contains(check.out, " 0 problems"));
}

TEST_CASE("the catalogue check fails on an untranslated, a fuzzy or a missing message", "[lang]") {
    // A tiny project of its own: po.py finds the code and po/zh/ from its own folder.
    namespace fs = std::filesystem;
    const fs::path root = tfm::test::temp_dir("po");
    fs::create_directories(root / "tools");
    fs::copy_file("tools/po.py", root / "tools/po.py");
    write(root / "lessons/01_demo.cpp",
          "void f() { tr(\"every row sums to {1}\", 1); tr(\"scores = Q·Kᵀ\"); }\n");
    const std::string po = (root / "tools/po.py").string();
    const RunResult update = run_program("python3", {po, "update"});
    INFO(update.out << update.err);
    REQUIRE(update.exit_code == 0);
    const RunResult untranslated = run_program("python3", {po, "check"});
    CHECK(untranslated.exit_code == 1);
    CHECK(contains(untranslated.out, "untranslated: 'every row sums to {1}'"));
    CHECK(contains(untranslated.out, "untranslated: 'scores = Q·Kᵀ'"));  // non-ASCII kept

    std::ifstream in(root / "po/zh/01_demo.po");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto fill = [&](const std::string& msgid, const std::string& msgstr) {
        const std::string from = "msgid \"" + msgid + "\"\nmsgstr \"\"";
        const std::size_t at = text.find(from);
        REQUIRE(at != std::string::npos);
        text.replace(at, from.size(), "msgid \"" + msgid + "\"\nmsgstr \"" + msgstr + "\"");
    };
    fill("every row sums to {1}", "每一行之和为 {1}");
    fill("scores = Q·Kᵀ", "分数 = Q·Kᵀ");
    write(root / "po/zh/01_demo.po", text);
    const RunResult complete = run_program("python3", {po, "check"});
    INFO(complete.out);
    CHECK(complete.exit_code == 0);

    // A translation that loses a placeholder is a problem too.
    std::string lost = text;
    lost.replace(lost.find("每一行之和为 {1}"), std::string("每一行之和为 {1}").size(), "每一行");
    write(root / "po/zh/01_demo.po", lost);
    const RunResult placeholder = run_program("python3", {po, "check"});
    CHECK(placeholder.exit_code == 1);
    CHECK(contains(placeholder.out, "placeholders"));

    // A new message in the code, not yet in the catalogue.
    write(root / "po/zh/01_demo.po", text);
    write(root / "lessons/01_demo.cpp",
          "void f() { tr(\"every row sums to {1}\", 1); tr(\"scores = Q·Kᵀ\"); "
          "tr(\"a new sentence\"); }\n");
    const RunResult missing = run_program("python3", {po, "check"});
    CHECK(missing.exit_code == 1);
    CHECK(contains(missing.out, "not in the catalogue: 'a new sentence'"));

    // A fuzzy translation (msgmerge's guess) is not a translation.
    write(root / "lessons/01_demo.cpp",
          "void f() { tr(\"every row sums to {1}\", 1); tr(\"scores = Q·Kᵀ\"); }\n");
    std::string fuzzy = text;
    fuzzy.replace(fuzzy.find("msgid \"scores"), 0, "#, fuzzy\n");
    write(root / "po/zh/01_demo.po", fuzzy);
    const RunResult guessed = run_program("python3", {po, "check"});
    CHECK(guessed.exit_code == 1);
    CHECK(contains(guessed.out, "fuzzy: 'scores = Q·Kᵀ'"));
}

TEST_CASE("--lang takes en or zh; a missing catalogue is an error only when asked for", "[lang]") {
    const RunResult fr = run_lesson("02_qkv", {"--lang", "fr"});
    CHECK(fr.exit_code == 2);
    CHECK(contains(fr.err, "02_qkv: error: --lang: 'fr' is not a language of the course"));
    CHECK(fr.out.empty());

    const RunResult asked = run_lesson("02_qkv", {"--lang", "zh"}, "TFM_LOCALEDIR=/nonexistent");
    CHECK(asked.exit_code == 2);
    CHECK(contains(asked.err, "/nonexistent/zh/LC_MESSAGES/tfm.mo is not there"));
    CHECK(asked.out.empty());

    // Only the environment asked: a warning, and the lesson in English.
    const RunResult env =
        run_lesson("02_qkv", {}, "TFM_LOCALEDIR=/nonexistent LANGUAGE= LC_ALL=zh_CN.UTF-8");
    CHECK(env.exit_code == 0);
    CHECK(contains(env.err, "speaking English"));
    const RunResult english = run_lesson("02_qkv", {"--lang", "en"});
    CHECK(env.out == english.out);

    // The environment chooses Chinese as GNU programs do, and --lang overrides it.
    const RunResult zh = run_lesson("02_qkv", {"--lang", "zh"});
    CHECK(run_lesson("02_qkv", {}, "LANGUAGE= LC_ALL= LC_MESSAGES= LANG=zh_CN.UTF-8").out ==
          zh.out);
    CHECK(run_lesson("02_qkv", {}, "LANGUAGE=zh_CN:en LANG=C").out == zh.out);
    CHECK(run_lesson("02_qkv", {"--lang", "en"}, "LANGUAGE=zh").out == english.out);
    CHECK(zh.out != english.out);
}
