// Lesson 11 run as a learner runs it: the defaults on the shipped GPT (every printed
// figure is what the library computes from the file), the causal mask on screen, a
// held-out prompt, the same seed giving the same poems, and bad input.
#include "core/text_width.hpp"
#include "course/lesson_11.hpp"
#include "io/files.hpp"
#include "io/table.hpp"
#include "lessons/run_lesson.hpp"

#include "support/catch.hpp"

#include <sstream>

using namespace tfm;
using namespace tfm::test;

namespace {

void check_bad_input(const std::vector<std::string>& args, const std::string& message) {
    const RunResult r = run_lesson("11_gpt", args, "NO_COLOR=1");
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(count_lines(r.err) == 2);
    CHECK(contains(r.err, "11_gpt: error: "));
    CHECK(contains(r.err, message));
    CHECK(contains(r.err, "Try '11_gpt --help'."));
}

}  // namespace

TEST_CASE("lesson 11 with its defaults reads the shipped GPT and prints what it computes",
          "[lesson11]") {
    const RunResult r = run_lesson("11_gpt", {}, "NO_COLOR=1");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    const course::PoemCorpus corpus = course::load_corpus(poems_path());
    const std::unique_ptr<Gpt> model =
        course::load_gpt(data_path("tang_gpt.safetensors"), corpus.vocab);
    for (const auto& row : course::loss_table(lm_bits(*model, corpus.held_out), corpus).rows)
        CHECK(contains(r.out, row[1]));
    CHECK(says(r.out, "a poem the model TRAINED on"));  // 静夜思 is in the training split
    // The causal mask: the first row of the heat map reads only <bos>.
    CHECK(contains(r.out, "decoder.layers.0.self_attn.head0.weights"));
    // The line forms of the GPT's poems, written the way the lesson writes them.
    SamplingOptions sampling;
    sampling.temperature = 0.8;
    sampling.top_p = 0.9;
    TokenIds prompt{Vocab::bos};
    for (const std::string& c : tokenize_chars("床前明月光，"))
        prompt.push_back(corpus.vocab.id(c));
    // The next character: the share of the five most likely, from the model's last row.
    const arma::rowvec next = temperature_softmax(model->forward(prompt).tail_rows(1), 1.0);
    const std::vector<arma::uword> ranked = rank_tokens(next);
    double top5 = 0;
    for (std::size_t i = 0; i < 5; ++i) top5 += next(ranked[i]);
    CHECK(says(r.out, "The five most likely hold " + printf_number(100.0 * top5, "%.1f%%")));
    const course::Writings w = course::write_poems(*model, corpus, prompt, sampling, 20, 42);
    // Each poem printed a couplet to a line: every couplet of the first GPT poem and of the
    // bigram's is on the screen.
    for (const std::string& poem : {w.gpt.front(), w.bigram.front()})
        for (const std::string& couplet : couplets(poem)) CHECK(contains(r.out, couplet));
    const TextTable forms = course::line_form_table(w, corpus);
    for (const auto& row : forms.rows)
        for (const std::string& cell : row) CHECK(contains(r.out, cell));
    // The same seed writes the same poems.
    CHECK(run_lesson("11_gpt", {}, "NO_COLOR=1").out == r.out);
}

TEST_CASE("lesson 11 says when a prompt is from a held-out poem", "[lesson11]") {
    const course::PoemCorpus corpus = course::load_corpus(poems_path());
    const std::string first_line = corpus.split.held_out.front().lines.front();
    const RunResult r =
        run_lesson("11_gpt", {"--prompt", first_line, "--poems", "3"}, "NO_COLOR=1");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(says(r.out, "never saw (held out)"));
}

TEST_CASE("lesson 11 wraps a written couplet that would not fit the screen", "[lesson11]") {
    // Five training steps: the model writes long runs with no 。 to end a couplet (136
    // columns on one line before the poems were wrapped).
    const RunResult r =
        run_lesson("11_gpt", {"--train", "--steps", "5", "--poems", "3"}, "NO_COLOR=1");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        INFO(line);
        CHECK(display_width(line) <= 100);
    }
}

TEST_CASE("lesson 11 refuses bad input with exit 2", "[lesson11]") {
    check_bad_input({"--prompt", ""}, "--prompt is empty");
    check_bad_input({"--prompt", std::string(64 * 3, 'a')}, "--prompt has 192 characters");
    check_bad_input({"--top-p", "2"}, "--top-p");
    check_bad_input({"--temperature", "-1"}, "--temperature");
    check_bad_input({"--weights", data_path("dates.safetensors")}, "dates.safetensors");
}
