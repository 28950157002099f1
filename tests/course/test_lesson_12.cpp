// Lesson 12's own work on the real corpus: a masked line read and traced to its poem, the
// fill-in measurement counted the way its definition says, the checkpoint (the same seed
// gives the same bytes; a file of another vocabulary or architecture is refused), and the
// shipped BERT using the right side.
#include "course/lesson_12.hpp"

#include "core/error.hpp"
#include "core/random.hpp"
#include "io/files.hpp"
#include "io/safetensors.hpp"
#include "lessons/run_lesson.hpp"
#include "train/checkpoint.hpp"

#include "support/catch.hpp"

#include <cmath>

using namespace tfm;
using namespace tfm::course;

namespace {

const PoemCorpus& corpus() {
    static const PoemCorpus c = load_corpus(poems_path());
    return c;
}

ModelConfig small_bert_config() {
    ModelConfig config = bert_lesson_config(corpus().vocab.size());
    config.d_model = 16;
    config.num_heads = 2;
    config.d_ff = 32;
    config.encoder_layers = 1;
    config.max_positions = 16;
    return config;
}

// A small BERT trained for a few steps on the real split, saved to `path`.
void train_small(const std::string& path, std::uint64_t seed) {
    Bert model(small_bert_config());
    draw_params(model.params(), seed);
    LmTrainOptions o = bert_training();
    o.steps = 3;
    o.batch = 4;
    o.seed = seed;
    std::vector<TokenIds> few(corpus().train.begin(), corpus().train.begin() + 10);
    train_mlm(model, few, {corpus().held_out.front()}, o, nullptr);
    save_bert(path, model, corpus().vocab, o);
}

}  // namespace

TEST_CASE("a masked line is read as ids and traced to its poem", "[lesson12]") {
    const MaskedText t = parse_masked_text(corpus().vocab, "床前明<mask>光", 63);
    CHECK(t.ids.size() == 6);
    CHECK(t.ids[0] == Vocab::bos);
    CHECK(t.ids[4] == mask_id);
    CHECK(t.masks == std::vector<arma::uword>{4});
    CHECK(t.labels[4] == "<mask>");
    CHECK(t.labels[1] == "床");
    const MaskedSource s = find_masked(corpus(), t);
    REQUIRE(s.source.poem >= 0);
    CHECK(corpus().poems[static_cast<std::size_t>(s.source.poem)].author == "李白");
    CHECK(s.hidden == std::vector<std::string>{"月"});
    CHECK(s.source.trained_on);
    // Two marks; a held-out line is called held out.
    const std::vector<std::string> chars = tokenize_chars(corpus().split.held_out[3].lines[0]);
    std::string masked = "<mask>";
    for (std::size_t i = 1; i + 2 < chars.size(); ++i) masked += chars[i];
    masked += "<mask>";
    const MaskedSource h = find_masked(corpus(), parse_masked_text(corpus().vocab, masked, 63));
    REQUIRE(h.hidden.size() == 2);
    CHECK(h.hidden[0] == chars[0]);
    CHECK_FALSE(h.source.trained_on);
    CHECK(find_masked(corpus(), parse_masked_text(corpus().vocab, "这不是<mask>诗", 63))
              .source.poem == -1);
    CHECK_THROWS_WITH(parse_masked_text(corpus().vocab, "床前明月光", 63),
                      Catch::Contains("no <mask>"));
    CHECK_THROWS_WITH(parse_masked_text(corpus().vocab, std::string(70, 'a') + "<mask>", 63),
                      Catch::Contains("71 characters and marks"));
}

TEST_CASE("the fill-in counts every held-out character once, by its place in the line",
          "[lesson12]") {
    Bert bert(small_bert_config());
    draw_params(bert.params(), 3);
    ModelConfig gc = gpt_lesson_config(corpus().vocab.size());
    gc.d_model = 16;
    gc.num_heads = 2;
    gc.d_ff = 32;
    gc.decoder_layers = 1;
    gc.max_positions = 16;
    Gpt gpt(gc);
    draw_params(gpt.params(), 4);
    const FillIn f = fill_in(bert, gpt, corpus(), 3);
    CHECK(f.poems == 3);
    // Every character that is not <unk>, counted by its place in its line (an <unk> takes
    // a place too), and every mark apart.
    const arma::uvec chars = answer_ids(corpus().vocab, false),
                     marks = answer_ids(corpus().vocab, true);
    arma::uvec want(FillIn::buckets, arma::fill::zeros);
    for (std::size_t p = 0; p < 3; ++p)
        for (const std::string& line : corpus().split.held_out[p].lines) {
            arma::uword at = 0;
            for (const std::string& c : tokenize_chars(line)) {
                const arma::uword id = corpus().vocab.id(c);
                if (is_punctuation(c)) {
                    ++want(FillIn::marks);
                    continue;
                }
                ++at;
                if (id != Vocab::unk && chars(id)) ++want(std::min(at, FillIn::places) - 1);
            }
        }
    INFO("counted " << f.total.t() << "expected " << want.t());
    CHECK(arma::all(f.total == want));
    CHECK(arma::all(arma::vectorise(f.top1 <= f.top10)));
    for (int m = 0; m < FillIn::models; ++m) CHECK(arma::all(f.top10.col(m) <= f.total));
    // The unigram always gives the most common character (or mark): its right answers are
    // that character's occurrences among the counted ones.
    const arma::rowvec uni = corpus().ngrams->unigram_row();
    const auto most_common = [&](const arma::uvec& allowed) {
        arma::uword best = 0;
        for (arma::uword id = 0; id < uni.n_elem; ++id)
            if (allowed(id) && (!allowed(best) || uni(id) > uni(best))) best = id;
        return best;
    };
    const arma::uword best_char = most_common(chars), best_mark = most_common(marks);
    arma::uword char_hits = 0, mark_hits = 0;
    for (std::size_t p = 0; p < 3; ++p)
        for (arma::uword id : corpus().held_out[p]) {
            char_hits += id == best_char;
            mark_hits += id == best_mark;
        }
    CHECK(arma::accu(f.top1.col(FillIn::unigram).head(FillIn::places)) == char_hits);
    CHECK(f.top1(FillIn::marks, FillIn::unigram) == mark_hits);
    const TextTable t = fill_in_table(f);
    CHECK(t.rows[t.rows.size() - 2][1] == std::to_string(arma::accu(want.head(FillIn::places))));
    CHECK(t.rows.back()[1] == std::to_string(want(FillIn::marks)));
    CHECK_FALSE(is_punctuation("月"));
    CHECK(is_punctuation("，"));
    CHECK(rank_of(arma::rowvec{0.1, 0.5, 0.4}, 2) == 2);
}

TEST_CASE("the same seed gives the same BERT checkpoint bytes, and it loads back", "[lesson12]") {
    const std::string dir = test::temp_dir("bert");
    train_small(dir + "/a.safetensors", 5);
    train_small(dir + "/b.safetensors", 5);
    train_small(dir + "/c.safetensors", 6);
    CHECK(read_file_bytes(dir + "/a.safetensors") == read_file_bytes(dir + "/b.safetensors"));
    CHECK(read_file_bytes(dir + "/a.safetensors") != read_file_bytes(dir + "/c.safetensors"));
    const std::unique_ptr<Bert> loaded = load_bert(dir + "/a.safetensors", corpus().vocab);
    CHECK(loaded->config.d_model == 16);
    CHECK(loaded->config.max_positions == 16);
    const TensorMap saved = load_safetensors(dir + "/a.safetensors");
    for (const Param& p : loaded->params())
        CHECK(arma::approx_equal(arma::vectorise(*p.value), arma::vectorise(saved.at(p.name).value),
                                 "absdiff", 0.0));
}

TEST_CASE("a BERT checkpoint of another vocabulary or architecture is refused", "[lesson12]") {
    const std::string dir = test::temp_dir("bert-bad");
    train_small(dir + "/m.safetensors", 5);
    const Vocab other = Vocab::from_tokens({"<mask>", "月"});
    CHECK_THROWS_WITH(load_bert(dir + "/m.safetensors", other),
                      Catch::Contains("is not the poems'"));
    CHECK_THROWS_WITH(load_bert(data_path("tang_gpt.safetensors"), corpus().vocab),
                      Catch::Contains("this lesson reads a encoder_only model"));
    CHECK_THROWS_WITH(load_gpt(dir + "/m.safetensors", corpus().vocab),
                      Catch::Contains("this lesson reads a decoder_only model"));
    CHECK_THROWS_AS(load_bert(data_path("dates.safetensors"), corpus().vocab), InputError);
}

TEST_CASE(
    "the shipped BERT learned the form of a line: it places held-out marks far better "
    "than counting",
    "[lesson12]") {
    const std::unique_ptr<Bert> bert =
        load_bert(data_path("tang_bert.safetensors"), corpus().vocab);
    const std::unique_ptr<Gpt> gpt = load_gpt(data_path("tang_gpt.safetensors"), corpus().vocab);
    const FillIn f = fill_in(*bert, *gpt, corpus(), 31);
    const arma::uword m = FillIn::marks;
    INFO("marks: BERT " << f.top1(m, FillIn::bert) << ", GPT " << f.top1(m, FillIn::gpt)
                        << ", unigram " << f.top1(m, FillIn::unigram) << " of " << f.total(m));
    CHECK(f.top1(m, FillIn::bert) > f.top1(m, FillIn::unigram) + f.total(m) / 5);  // +20 points
    CHECK(f.top1(m, FillIn::gpt) > f.top1(m, FillIn::unigram) + f.total(m) / 5);
    // What the lesson says is what the table holds (it is written from it).
    const std::string said = fill_in_sentence(f);
    const TextTable table = fill_in_table(f);
    for (const auto& cell : table.rows.back())
        if (cell.back() == '%') CHECK(said.find(cell) != std::string::npos);
    // Its held-out masked-LM figure is far below a uniform guess's log2 V bits.
    const MlmScore s = mlm_score(*bert, corpus().held_out, 54);
    INFO("held-out " << s.bits << " bits per masked position, " << s.accuracy << " right");
    CHECK(s.bits < std::log2(static_cast<double>(corpus().vocab.size())) - 2.0);
}

TEST_CASE("the fill-in sentence says which model is ahead on the characters, from the table",
          "[lesson12]") {
    // 1000 characters in place 1, 100 marks; top-10 counts of BERT, GPT, unigram.
    const auto made = [](arma::uword bert10, arma::uword gpt10, arma::uword unigram10) {
        FillIn f;
        f.total(0) = 1000;
        f.total(FillIn::marks) = 100;
        f.top10(0, FillIn::bert) = bert10;
        f.top10(0, FillIn::gpt) = gpt10;
        f.top10(0, FillIn::unigram) = unigram10;
        f.train_characters = 5000;
        return fill_in_sentence(f);
    };
    using Catch::Contains;
    CHECK_THAT(made(150, 60, 62), Contains("puts BERT 8.8 points ahead"));
    CHECK_THAT(made(60, 134, 62),
               Contains("the GPT, which sees only the left side, is 7.2 points"));
    CHECK_THAT(made(60, 134, 62), Contains("15% of positions it hid"));
    CHECK_THAT(made(65, 66, 62), Contains("neither model beats counting by more than a point"));
    CHECK_THAT(made(100, 104, 62), Contains("both models beat counting, by 3.8 points at least"));
    CHECK_THAT(made(100, 104, 62), Contains("5,000 training characters"));
}
