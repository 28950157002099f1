// Text → tokens → ids: word-level splitting, CJK one per character, the vocabulary file.
#include "support/catch.hpp"

#include "core/error.hpp"
#include "io/files.hpp"
#include "lessons/run_lesson.hpp"
#include "text/tokenizer.hpp"

#include <cstdlib>
#include <fstream>

using Tokens = std::vector<std::string>;

TEST_CASE("words are lower-cased and each punctuation mark is its own token", "[tokenizer]") {
    CHECK(tfm::tokenize_words("The Cat sat, on the MAT!") ==
          Tokens{"the", "cat", "sat", ",", "on", "the", "mat", "!"});
    CHECK(tfm::tokenize_words("  spaces\tand\nnewlines  ") == Tokens{"spaces", "and", "newlines"});
    CHECK(tfm::tokenize_words("(x+y)=2") == Tokens{"(", "x", "+", "y", ")", "=", "2"});
    CHECK(tfm::tokenize_words("").empty());
}

TEST_CASE("an apostrophe inside a word stays in it; quotes around a word do not", "[tokenizer]") {
    CHECK(tfm::tokenize_words("Don't stop") == Tokens{"don't", "stop"});
    CHECK(tfm::tokenize_words("'hi'") == Tokens{"'", "hi", "'"});
}

TEST_CASE("each CJK character and CJK punctuation mark is one token", "[tokenizer]") {
    CHECK(tfm::tokenize_words("注意力机制。") == Tokens{"注", "意", "力", "机", "制", "。"});
    CHECK(tfm::tokenize_words("Transformer 模型，GPU") ==
          Tokens{"transformer", "模", "型", "，", "gpu"});
    CHECK(tfm::tokenize_words("猫坐在垫子上") == Tokens{"猫", "坐", "在", "垫", "子", "上"});
}

TEST_CASE("accented letters stay inside words", "[tokenizer]") {
    CHECK(tfm::tokenize_words("café au lait") == Tokens{"café", "au", "lait"});
}

TEST_CASE("broken UTF-8 is an InputError", "[tokenizer]") {
    CHECK_THROWS_AS(tfm::tokenize_words("abc\xff"), tfm::InputError);
    CHECK_THROWS_AS(tfm::tokenize_words("\xe6\xb3"), tfm::InputError);  // a cut-off 注
    CHECK_THROWS_AS(tfm::tokenize_chars("\xc3("), tfm::InputError);
}

TEST_CASE("overlong forms, surrogates and code points past U+10FFFF are rejected at their byte",
          "[tokenizer]") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"ab\xc0\xaf", "at byte 2: 0xC0 starts an overlong encoding"},  // '/' in two bytes
        {"a\xe0\x80\xaf", "at byte 1: an overlong encoding of U+002F in 3 bytes"},
        {"\xf0\x80\x80\xaf", "at byte 0: an overlong encoding of U+002F in 4 bytes"},
        {"x\xed\xa0\x80", "at byte 1: U+D800 is a UTF-16 surrogate"},
        {"\xf4\x90\x80\x80", "at byte 0: U+110000 is above U+10FFFF"},
        {"\xf5\x80\x80\x80", "at byte 0: 0xF5 never occurs in UTF-8"},
        {"abc\x80", "at byte 3: 0x80 is a continuation byte"},
        {"\xe6\xb3", "at byte 0: the text ends inside a 3-byte character"},
        {"\xc3(", "at byte 0: the 2-byte character lacks its byte 2 (0x28"},
    };
    for (const auto& [text, problem] : cases) {
        INFO(problem);
        CHECK_THROWS_WITH(tfm::tokenize_words(text),
                          Catch::Contains("text is not valid UTF-8 " + problem));
        CHECK_THROWS_WITH(tfm::tokenize_chars(text), Catch::Contains(problem));
        CHECK_THROWS_WITH(tfm::require_utf8("--text", text),
                          Catch::StartsWith("--text is not valid UTF-8 " + problem));
    }
    // The edges that are valid: U+007F, U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+10FFFF.
    CHECK_NOTHROW(tfm::require_utf8("t",
                                    "\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf"
                                    "\xee\x80\x80\xf4\x8f\xbf\xbf"));
}

TEST_CASE("a vocabulary line that is not UTF-8 is rejected by its line and byte", "[tokenizer]") {
    const std::string path = tfm::test::temp_dir("vocab") + "/v.txt";
    std::ofstream(path) << "<pad>\n<unk>\n<bos>\n<eos>\ncat\nd\xed\xa0\x80g\n";
    CHECK_THROWS_WITH(tfm::Vocab::load(path),
                      Catch::Contains(path + ": line 6 is not valid UTF-8 at byte 1: U+D800"));
}

TEST_CASE("a vocabulary token holds no control character, so that every vocabulary reads back",
          "[tokenizer]") {
    // A CRLF file reads as its tokens: one \r before each \n is the line ending.
    const tfm::Vocab crlf = tfm::Vocab::parse("<pad>\r\n<unk>\r\n<bos>\r\n<eos>\r\ncat\r\n", "v");
    CHECK(crlf.size() == 5);
    CHECK(crlf.token(4) == "cat");
    // The fuzzer's finding (tests/fuzz/crashes/vocab/): "e\0\r\r" was accepted as a token,
    // and text() wrote it back as a line that reads as a different token.
    const std::string specials = "<pad>\n<unk>\n<bos>\n<eos>\n";
    CHECK_THROWS_WITH(tfm::Vocab::parse(specials + std::string("e\0\r\r\r\n", 6), "v"),
                      Catch::Equals("v: line 5 holds the control character U+0000 at byte 1 "
                                    "(a token must fit on one line)"));
    CHECK_THROWS_WITH(tfm::Vocab::parse(specials + "cat\n\r\r\n", "v"),
                      Catch::Contains("v: line 6 holds the control character U+000D at byte 0"));
    CHECK_THROWS_WITH(tfm::Vocab::parse(specials + "a\tb\n", "v"),
                      Catch::Contains("U+0009 at byte 1"));
    CHECK_THROWS_WITH(tfm::Vocab::parse(specials + "\x7f\n", "v"), Catch::Contains("U+007F"));
    // from_tokens refuses what parse() would refuse, so a built vocabulary always saves.
    CHECK_THROWS_WITH(tfm::Vocab::from_tokens({"ok", "line\nbreak"}),
                      Catch::Equals("vocabulary token 5 holds the control character U+000A at "
                                    "byte 4 (a token must fit on one line)"));
    CHECK_THROWS_AS(tfm::Vocab::from_tokens({""}), tfm::InputError);
    const tfm::Vocab v = tfm::Vocab::from_tokens({"月", " ", "<mask>"});
    CHECK(tfm::Vocab::parse(v.text(), "again").text() == v.text());
}

TEST_CASE("character tokens are one per UTF-8 character, spaces and case kept", "[tokenizer]") {
    CHECK(tfm::tokenize_chars("Ab 注!") == Tokens{"A", "b", " ", "注", "!"});
}

TEST_CASE("the specials have fixed ids 0-3 and unknown tokens map to <unk>", "[tokenizer]") {
    const tfm::Vocab v = tfm::Vocab::from_tokens({"hello", "world", "hello"});
    CHECK(v.size() == 6);
    CHECK(v.id("<pad>") == 0);
    CHECK(v.id("<unk>") == 1);
    CHECK(v.id("<bos>") == 2);
    CHECK(v.id("<eos>") == 3);
    CHECK(v.id("hello") == 4);
    CHECK(v.id("world") == 5);
    CHECK(v.id("zebra") == tfm::Vocab::unk);
    CHECK_FALSE(v.contains("zebra"));
    CHECK(v.encode({"world", "zebra"}) == std::vector<arma::uword>{5, 1});
    CHECK(v.decode({4, 5, 3}) == Tokens{"hello", "world", "<eos>"});
    CHECK_THROWS_AS(v.token(6), tfm::InputError);
    CHECK(tfm::Vocab().size() == 4);
}

TEST_CASE("the lesson vocabulary holds the default sentence and the article's key terms",
          "[tokenizer]") {
    const tfm::Vocab v = tfm::Vocab::lesson_default();
    CHECK(v.size() > 300);
    const Tokens tokens = tfm::tokenize_words(tfm::default_text);
    CHECK(tokens.size() == 6);
    for (const std::string& t : tokens) CHECK(v.contains(t));
    for (const std::string& t : tfm::tokenize_words("注意力 编码器 解码器 模型 词向量 , . ?"))
        CHECK(v.contains(t));
    CHECK(v.id("the") == 4);
}

TEST_CASE("a vocabulary file with misplaced specials, duplicates or blank lines is rejected",
          "[tokenizer]") {
    const std::string dir = tfm::test::temp_dir("vocab");
    auto write = [&](const std::string& text) {
        std::ofstream(dir + "/v.txt") << text;
        return dir + "/v.txt";
    };
    CHECK(tfm::Vocab::load(write("<pad>\n<unk>\n<bos>\n<eos>\nyes\r\nno\n\n")).size() == 6);
    CHECK_THROWS_WITH(tfm::Vocab::load(write("<unk>\n<pad>\n<bos>\n<eos>\n")),
                      Catch::Contains("<pad>"));
    CHECK_THROWS_WITH(tfm::Vocab::load(write("<pad>\n<unk>\n<bos>\n<eos>\na\nb\na\n")),
                      Catch::Contains("twice"));
    CHECK_THROWS_WITH(tfm::Vocab::load(write("<pad>\n<unk>\n<bos>\n<eos>\na\n\nb\n")),
                      Catch::Contains("empty"));
    CHECK_THROWS_WITH(tfm::Vocab::load(write("<pad>\n<unk>\n")), Catch::Contains("<bos>"));
    CHECK_THROWS_AS(tfm::Vocab::load(dir + "/none.txt"), tfm::InputError);
}

TEST_CASE("data_path looks in TFM_DATA_DIR first and names the file it cannot find",
          "[tokenizer]") {
    const std::string dir = tfm::test::temp_dir("data");
    std::ofstream(dir + "/vocab.txt") << "<pad>\n<unk>\n<bos>\n<eos>\nonly\n";
    setenv("TFM_DATA_DIR", dir.c_str(), 1);
    const std::string found = tfm::data_path("vocab.txt");
    const tfm::Vocab v = tfm::Vocab::lesson_default();
    unsetenv("TFM_DATA_DIR");
    CHECK(found == dir + "/vocab.txt");
    CHECK(v.size() == 5);
    CHECK(tfm::data_path("vocab.txt") == "data/vocab.txt");  // the tests run from the project root
    CHECK_THROWS_WITH(tfm::data_path("no-such-file.txt"), Catch::Contains("no-such-file.txt"));
}
