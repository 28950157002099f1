// Lesson 12 run as a learner runs it: the defaults on the shipped BERT and GPT (every
// printed figure is what the library computes from the files), the rank of the hidden
// character, the attention heat map, a held-out line, and bad input.
#include "course/lesson_12.hpp"
#include "io/files.hpp"
#include "io/table.hpp"
#include "lessons/run_lesson.hpp"
#include "ops/softmax.hpp"

#include "support/catch.hpp"

using namespace tfm;
using namespace tfm::test;

namespace {

void check_bad_input(const std::vector<std::string>& args, const std::string& message) {
    const RunResult r = run_lesson("12_bert", args, "NO_COLOR=1");
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(count_lines(r.err) == 2);
    CHECK(contains(r.err, "12_bert: error: "));
    CHECK(contains(r.err, message));
    CHECK(contains(r.err, "Try '12_bert --help'."));
}

}  // namespace

TEST_CASE("lesson 12 with its defaults reads the shipped BERT and prints what it computes",
          "[lesson12]") {
    const RunResult r = run_lesson("12_bert", {}, "NO_COLOR=1");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    const course::PoemCorpus corpus = course::load_corpus(poems_path());
    const std::unique_ptr<Bert> bert =
        course::load_bert(data_path("tang_bert.safetensors"), corpus.vocab);
    const std::unique_ptr<Gpt> gpt =
        course::load_gpt(data_path("tang_gpt.safetensors"), corpus.vocab);
    CHECK(says(r.out, "a poem the model TRAINED on"));  // 静夜思 is in the training split
    // The fillers of 床前明<mask>光 and the rank of 月, as the library computes them.
    const course::MaskedText text = course::parse_masked_text(corpus.vocab, "床前明<mask>光", 63);
    const arma::rowvec p = softmax_rows(bert->forward(text.ids).row(4));
    for (const auto& row : course::next_char_table(corpus.vocab, p, 5).rows)
        for (const std::string& cell : row) CHECK(contains(r.out, cell));
    CHECK(says(r.out, "BERT ranks it " + std::to_string(course::rank_of(p, corpus.vocab.id("月"))) +
                          " of " + std::to_string(corpus.vocab.size())));
    CHECK(contains(r.out, "encoder.layers.1.self_attn.weights[4] [4 × 6]"));
    // The BERT-against-GPT table, every cell.
    const course::FillIn f = course::fill_in(*bert, *gpt, corpus, 31);
    for (const auto& row : course::fill_in_table(f).rows)
        for (const std::string& cell : row) CHECK(contains(r.out, cell));
    CHECK(says(r.out, course::fill_in_sentence(f).substr(0, 40)));
}

TEST_CASE("lesson 12 says when a masked line is from a held-out poem", "[lesson12]") {
    const course::PoemCorpus corpus = course::load_corpus(poems_path());
    const std::vector<std::string> chars = tokenize_chars(corpus.split.held_out[2].lines[0]);
    std::string text;
    for (std::size_t i = 0; i < chars.size(); ++i) text += i == 1 ? "<mask>" : chars[i];
    const RunResult r = run_lesson("12_bert", {"--text", text, "--eval-poems", "1"}, "NO_COLOR=1");
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(says(r.out, "never saw (held out)"));
    CHECK(says(r.out, "The poem has " + chars[1] + " here"));
}

TEST_CASE("lesson 12 refuses bad input with exit 2", "[lesson12]") {
    check_bad_input({"--text", "床前明月光"}, "--text has no <mask>");
    check_bad_input({"--text", std::string(70, 'a') + "<mask>"}, "--text has 71 characters");
    check_bad_input({"--eval-poems", "0"}, "--eval-poems");
    check_bad_input({"--train", "--weights", data_path("tang_bert.safetensors")},
                    "give --train or --weights, not both");
    check_bad_input({"--weights", data_path("tang_gpt.safetensors")}, "encoder_only");
    check_bad_input({"--weights", data_path("dates.safetensors")}, "dates.safetensors");
}
