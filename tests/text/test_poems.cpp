// The poems of lessons 11 and 12: the fortune format, the split, the vocabulary, the
// counting baselines and the line forms, on small files of the tests' own.
#include "text/poems.hpp"

#include "core/error.hpp"

#include <cmath>

#include "support/catch.hpp"

namespace {

const char* const kTwoPoems =
    "\033[32m《静夜思》\033[m\n\033[33m作者：李白\033[m\n床前明月光，疑是地上霜。\n"
    "举头望明月，低头思故乡。\n%\n\033[32m《春晓》\033[m\n\033[33m作者：孟浩然\033[m\n"
    "春眠不觉晓，处处闻啼鸟。\n夜来风雨声，花落知多少？\n";

}  // namespace

TEST_CASE("a fortune file gives each poem's title, author and verse lines", "[poems]") {
    const std::vector<tfm::Poem> poems = tfm::parse_poems(kTwoPoems, "test");
    REQUIRE(poems.size() == 2);
    CHECK(poems[0].title == "静夜思");
    CHECK(poems[0].author == "李白");
    CHECK(poems[0].lines ==
          std::vector<std::string>{"床前明月光，", "疑是地上霜。", "举头望明月，", "低头思故乡。"});
    CHECK(poems[1].author == "孟浩然");
    CHECK(poems[1].lines.back() == "花落知多少？");
    CHECK(poems[0].text() == "床前明月光，疑是地上霜。举头望明月，低头思故乡。");
}

TEST_CASE("a character seen fewer than min_count times in training reads as <unk>", "[poems]") {
    std::vector<tfm::Poem> train(2);
    train[0].lines = {"春眠不觉晓，"};
    train[1].lines = {"春晓。"};
    const tfm::Vocab twice = tfm::poem_vocab(train);  // 春 and 晓 twice; the rest once
    CHECK(twice.size() == 5 + 2);
    CHECK(twice.contains("春"));
    CHECK_FALSE(twice.contains("眠"));
    CHECK(tfm::poem_vocab(train, 1).size() == 5 + 7);
}

TEST_CASE("a malformed fortune file is an InputError naming the line", "[poems]") {
    CHECK_THROWS_WITH(tfm::parse_poems("no title\n", "f"), Catch::Contains("f: line 1"));
    CHECK_THROWS_WITH(tfm::parse_poems("《题》\n床前明月光，\n", "f"),
                      Catch::Contains("expected the author"));
    CHECK_THROWS_WITH(tfm::parse_poems("《题》\n作者：某\n%\n", "f"), Catch::Contains("any verse"));
    CHECK_THROWS_AS(tfm::parse_poems("", "f"), tfm::InputError);
    CHECK_THROWS_WITH(tfm::read_poems("/nonexistent/tang300"), Catch::Contains("fortunes-zh"));
}

TEST_CASE("every tenth poem is held out, and the vocabulary is the training poems'", "[poems]") {
    std::vector<tfm::Poem> poems(25);
    for (std::size_t i = 0; i < poems.size(); ++i)
        poems[i].lines = {i == 9 ? std::string("独字。") : std::string("春字。")};
    const tfm::PoemSplit split = tfm::split_poems(poems);
    CHECK(split.train.size() == 23);
    CHECK(split.held_out.size() == 2);  // poems 9 and 19
    const tfm::Vocab vocab = tfm::poem_vocab(split.train);
    CHECK(vocab.id(tfm::mask_token) == 4);
    CHECK(vocab.size() == 5 + 3);  // 春 字 。, each seen 23 times
    CHECK(vocab.contains("春"));
    CHECK_FALSE(vocab.contains("独"));  // only in a held-out poem: <unk>
    CHECK(tfm::encode_poem(vocab, split.held_out[0]) ==
          std::vector<arma::uword>{tfm::Vocab::bos, tfm::Vocab::unk, vocab.id("字"), vocab.id("。"),
                                   tfm::Vocab::eos});
}

TEST_CASE("the counting baselines are add-one unigrams and Witten-Bell bigrams", "[poems]") {
    tfm::Vocab vocab = tfm::Vocab::from_tokens({"<mask>", "a", "b"});  // V = 7
    const arma::uword a = vocab.id("a"), b = vocab.id("b");
    // Two sequences: <bos> a b a <eos>, <bos> a a <eos>: 7 predicted tokens.
    const std::vector<std::vector<arma::uword>> train = {{2, a, b, a, 3}, {2, a, a, 3}};
    const tfm::CharNgrams ngrams(vocab, train);
    CHECK(ngrams.unigram(a) == Approx((4.0 + 1) / (7 + 7)));
    CHECK(ngrams.unigram(b) == Approx(2.0 / 14));
    // After a: b once, a once, <eos> twice: n(a) = 4, T(a) = 3, λ = 4/7.
    CHECK(ngrams.bigram(a, 3) == Approx(4.0 / 7 * 2.0 / 4 + 3.0 / 7 * ngrams.unigram(3)));
    CHECK(ngrams.bigram(b, b) == Approx(1.0 / 2 * 0.0 + 1.0 / 2 * ngrams.unigram(b)));
    CHECK(arma::accu(ngrams.unigram_row()) == Approx(1.0));
    CHECK(arma::accu(ngrams.bigram_row(a)) == Approx(1.0));
    const double bits = ngrams.unigram_bits({{2, b, 3}});
    CHECK(bits == Approx(-(std::log2(ngrams.unigram(b)) + std::log2(ngrams.unigram(3))) / 2));
}

TEST_CASE("line forms count 5- and 7-character lines, their punctuation and poem lengths",
          "[poems]") {
    const tfm::LineForms f = tfm::line_forms(
        {"床前明月光，疑是地上霜。举头望明月，低头思故乡。", "春眠不觉晓，处处闻啼鸟夜"});
    CHECK(f.poems == 2);
    CHECK(f.lines == 6);
    CHECK(f.five_or_seven == Approx(5.0 / 6));  // "处处闻啼鸟夜" has 6
    CHECK(f.punctuated == Approx(5.0 / 6));     // and no ，or 。
    CHECK(f.four_or_eight == Approx(1.0 / 2));
    CHECK(tfm::verse_lines("一二三，四五。六") ==
          std::vector<std::string>{"一二三，", "四五。", "六"});
    CHECK(tfm::couplets("一二，三四。五六，七八？九") ==
          std::vector<std::string>{"一二，三四。", "五六，七八？", "九"});
    CHECK(tfm::couplets("").empty());
}
