// The course is one running example: lessons 01 to 07 start from the numbers the lesson
// before ended with, bit for bit, because every parameter is drawn by its canonical
// name from --seed. Checked here through the lesson binaries' own dumps, as a learner
// would rebuild the chain by hand with --dump-dir. Also: every lesson's default screen
// fits in 100 columns and its line budget, and the source article tokenises without
// <unk>.
#include "lessons/run_lesson.hpp"

#include "io/npy.hpp"
#include "io/printer.hpp"
#include "nn/layer_norm.hpp"
#include "text/tokenizer.hpp"

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include "support/catch.hpp"

using tfm::test::run_lesson;
using tfm::test::RunResult;

namespace {

// Runs every lesson of the chain with --dump-dir DIR/NN and the extra arguments.
std::string run_chain(const std::vector<std::string>& extra) {
    const std::string dir = tfm::test::temp_dir("chain");
    for (const char* lesson : {"01_embedding", "02_qkv", "03_attention", "04_multi_head", "05_ffn",
                               "06_encoder", "07_decoder"}) {
        std::vector<std::string> args = {"--dump-dir",
                                         dir + "/" + std::string(lesson).substr(0, 2)};
        args.insert(args.end(), extra.begin(), extra.end());
        const RunResult r = run_lesson(lesson, args, "NO_COLOR=1");
        INFO(lesson << " stderr: " << r.err);
        REQUIRE(r.exit_code == 0);
    }
    return dir;
}

arma::mat dump(const std::string& dir, const std::string& lesson, const std::string& name) {
    return tfm::load_npy(dir + "/" + lesson + "/" + name + ".npy");
}

// Bit for bit: the same arithmetic on the same numbers.
void check_same(const arma::mat& later, const arma::mat& earlier, const std::string& link) {
    INFO(link << "\nlater\n" << later << "earlier\n" << earlier);
    REQUIRE(later.n_rows == earlier.n_rows);
    REQUIRE(later.n_cols == earlier.n_cols);
    CHECK(arma::approx_equal(later, earlier, "absdiff", 0.0));
}

void check_chain(const std::string& dir) {
    check_same(dump(dir, "02", "X"), dump(dir, "01", "output"), "02's X = 01's output");
    for (const char* m : {"Q", "K", "V"}) {
        check_same(dump(dir, "03", m), dump(dir, "02", m), std::string("03's ") + m + " = 02's");
        check_same(dump(dir, "04", m), dump(dir, "03", m), std::string("04's ") + m + " = 03's");
    }
    const arma::mat q = dump(dir, "03", "Q");
    check_same(dump(dir, "04", "head0.Q"), q.cols(0, q.n_cols / 2 - 1),
               "04's head 0 = 03's Q, first half");
    check_same(dump(dir, "04", "head1.Q"), q.cols(q.n_cols / 2, q.n_cols - 1),
               "04's head 1 = 03's Q, second half");
    // What encoder layer 0 feeds its FFN: LN1(X + MultiHead(X)), norm1 at 1 and 0.
    tfm::LayerNorm norm1(q.n_cols);
    const arma::mat ffn_input =
        norm1.forward(dump(dir, "01", "output") + dump(dir, "04", "output"));
    check_same(dump(dir, "05", "X"), ffn_input, "05's X = LN1(01's X + 04's output)");
    check_same(dump(dir, "06", "X"), dump(dir, "01", "output"), "06's X = 01's output");
    check_same(dump(dir, "06", "layer0.attn_out"), dump(dir, "04", "output"),
               "06's layer 0 attention = 04's output");
    check_same(dump(dir, "06", "layer0.mid"), dump(dir, "05", "X"),
               "06's layer 0 FFN input = 05's X");
    check_same(dump(dir, "06", "layer0.output"), dump(dir, "05", "output"),
               "06's layer 0 output = 05's output");
    check_same(dump(dir, "07", "memory"), dump(dir, "06", "output"), "07's memory = 06's output");
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("lessons 01 to 07 are one running example, bit for bit, through their dumps", "[chain]") {
    const std::string dir = run_chain({});
    check_chain(dir);
    // The default text's rows are the same in lesson 07's memory source as in lesson 06.
    check_same(dump(dir, "07", "memory"), dump(dir, "06", "output"), "07's memory = 06's output");
}

TEST_CASE("another --seed changes every link of the chain together", "[chain]") {
    const std::string base = run_chain({});
    const std::string other = run_chain({"--seed", "7"});
    check_chain(other);
    for (const auto& [lesson, name] :
         std::vector<std::pair<std::string, std::string>>{{"01", "output"},
                                                          {"02", "Q"},
                                                          {"04", "output"},
                                                          {"05", "output"},
                                                          {"06", "output"},
                                                          {"07", "output"}}) {
        INFO(lesson << "/" << name);
        CHECK(arma::abs(dump(base, lesson, name) - dump(other, lesson, name)).max() > 0.01);
    }
}

TEST_CASE("the chain holds with pre-LN, GELU and other sizes too", "[chain]") {
    const std::string dir = tfm::test::temp_dir("chain_preln");
    const std::vector<std::string> sizes = {"--d-model", "12", "--heads", "3", "--d-ff", "20"};
    std::map<std::string, std::string> dirs;
    for (const char* lesson : {"01_embedding", "04_multi_head", "05_ffn", "06_encoder"}) {
        std::vector<std::string> args = {"--dump-dir",
                                         dir + "/" + std::string(lesson).substr(0, 2)};
        args.insert(args.end(), sizes.begin(), sizes.end());
        if (std::string(lesson) == "01_embedding") args.resize(args.size() - 4);   // --d-model only
        if (std::string(lesson) == "04_multi_head") args.resize(args.size() - 2);  // no --d-ff
        if (std::string(lesson) >= "05") {
            args.push_back("--norm-first");
            args.insert(args.end(), {"--activation", "gelu"});
        }
        const RunResult r = run_lesson(lesson, args, "NO_COLOR=1");
        INFO(lesson << " stderr: " << r.err);
        REQUIRE(r.exit_code == 0);
    }
    // Pre-LN: the FFN reads the residual stream X + MultiHead(LN1(X)).
    check_same(dump(dir, "06", "layer0.mid"), dump(dir, "05", "X"),
               "06's layer 0 residual = 05's X");
    check_same(dump(dir, "06", "layer0.output"), dump(dir, "05", "output"),
               "06's layer 0 = 05's output");
}

TEST_CASE("every lesson's default screen fits in 100 columns and its line budget", "[width]") {
    const std::map<std::string, int> budget = {{"01_embedding", 150},  {"02_qkv", 150},
                                               {"03_attention", 150},  {"04_multi_head", 150},
                                               {"05_ffn", 150},        {"06_encoder", 150},
                                               {"07_decoder", 150},    {"08_rnn_vs_attention", 200},
                                               {"09_full_model", 200}, {"10_decoding", 200},
                                               {"11_gpt", 150},        {"12_bert", 150},
                                               {"13_positions", 150},  {"14_images", 150}};
    for (const auto& [lesson, max_lines] : budget) {
        const RunResult r = run_lesson(lesson,
                                       lesson == "08_rnn_vs_attention" || lesson == "10_decoding"
                                           ? std::vector<std::string>{"--timing=false"}
                                           : std::vector<std::string>{},
                                       "NO_COLOR=1");
        INFO(lesson << " stderr: " << r.err);
        REQUIRE(r.exit_code == 0);
        std::istringstream lines(r.out);
        std::size_t widest = 0;
        std::string widest_line;
        for (std::string line; std::getline(lines, line);)
            if (tfm::display_width(line) > widest) {
                widest = tfm::display_width(line);
                widest_line = line;
            }
        INFO(lesson << ": widest line (" << widest << " columns):\n" << widest_line);
        CHECK(widest <= 100);
        CHECK(tfm::test::count_lines(r.out) <= max_lines);
    }
}

TEST_CASE("the source article's sentences tokenise without <unk>", "[vocab]") {
    // The article the course teaches, beside the project (../shared/ from the root).
    std::string article;
    for (const char* path :
         {"../shared/000_667dc6a4f02c0bc8.txt", "../../shared/000_667dc6a4f02c0bc8.txt"}) {
        article = slurp(path);
        if (!article.empty()) break;
    }
    if (article.empty()) {
        WARN("the article is not beside the project (../shared/): nothing to check");
        return;
    }
    const tfm::Vocab vocab = tfm::Vocab::lesson_default();
    std::string missing;
    std::size_t tokens = 0;
    for (const std::string& t : tfm::tokenize_words(article)) {
        ++tokens;
        if (!vocab.contains(t) && missing.find(" " + t + " ") == std::string::npos)
            missing += " " + t + " ";
    }
    INFO("tokens missing from data/vocab.txt:" << missing);
    CHECK(tokens > 1000);
    CHECK(missing.empty());
    // The reserved ids stay where they were.
    CHECK(vocab.token(0) == "<pad>");
    CHECK(vocab.token(1) == "<unk>");
    CHECK(vocab.token(2) == "<bos>");
    CHECK(vocab.token(3) == "<eos>");
}

TEST_CASE("an article sentence runs through the lessons, and unknown words are marked", "[vocab]") {
    const RunResult zh =
        run_lesson("03_attention", {"--text", "单词可以和任意位置的单词产生联系"}, "NO_COLOR=1");
    INFO(zh.err);
    CHECK(zh.exit_code == 0);
    CHECK(zh.out.find("(unk)") == std::string::npos);
    CHECK(zh.out.find("unknown to the vocabulary") == std::string::npos);
    const RunResult unk =
        run_lesson("01_embedding", {"--text", "the zyxw sat on the qqqq"}, "NO_COLOR=1");
    CHECK(unk.exit_code == 0);
    CHECK(unk.out.find("zyxw(unk)") != std::string::npos);
    CHECK(unk.out.find("2 of 6 tokens are unknown to the vocabulary") != std::string::npos);
}

TEST_CASE("lesson 03 says when its softmax is soft and when the learner's input saturates it",
          "[chain]") {
    const RunResult soft = run_lesson("03_attention", {}, "NO_COLOR=1");
    CHECK(soft.out.find("The softmax is soft") != std::string::npos);
    const std::string dir = tfm::test::temp_dir("saturate");
    arma::mat big(6, 8);
    for (arma::uword i = 0; i < big.n_rows; ++i)
        for (arma::uword j = 0; j < big.n_cols; ++j) big(i, j) = 20.0 * std::sin(1.0 + i + 0.7 * j);
    tfm::save_npy(dir + "/big.npy", big);
    const RunResult hard = run_lesson("03_attention", {"--input", dir + "/big.npy"}, "NO_COLOR=1");
    INFO(hard.err);
    CHECK(hard.exit_code == 0);
    CHECK(hard.out.find("These weights are saturated") != std::string::npos);
}

TEST_CASE("lessons 02 and 05 take a one-token input", "[chain]") {
    const std::string dir = tfm::test::temp_dir("one_row");
    tfm::save_npy(dir + "/x.npy", arma::mat(1, 8, arma::fill::ones));
    for (const char* lesson : {"02_qkv", "03_attention", "04_multi_head", "05_ffn", "06_encoder"}) {
        const RunResult r = run_lesson(lesson, {"--input", dir + "/x.npy"}, "NO_COLOR=1");
        INFO(lesson << ": " << r.err);
        CHECK(r.exit_code == 0);
        const RunResult word = run_lesson(lesson, {"--text", "cat"}, "NO_COLOR=1");
        INFO(lesson << " --text cat: " << word.err);
        CHECK(word.exit_code == 0);
    }
}
