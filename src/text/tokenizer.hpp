// Text → tokens → ids.
// Word level (lessons): lower-cased; words are runs of letters/digits/apostrophes;
// each punctuation mark is its own token; each CJK character (and CJK punctuation)
// is one token; whitespace separates. Character level (the dates task): one token per
// UTF-8 character, spaces included.
// Special ids are fixed in every vocabulary: <pad> = 0, <unk> = 1, <bos> = 2, <eos> = 3.
#pragma once
#include <armadillo>
#include <map>
#include <string>
#include <vector>

namespace tfm {

// The sentence every lesson starts from unless --text says otherwise (6 tokens, all in
// data/vocab.txt).
inline constexpr const char* default_text = "the cat sat on the mat";

// InputError "WHAT is not valid UTF-8 at byte N: PROBLEM" unless `text` is UTF-8 as RFC
// 3629 defines it: no stray continuation byte, no cut-off character, no overlong form, no
// surrogate (U+D800–U+DFFF), nothing above U+10FFFF. The tokenizers check it first (as
// "text"), the lessons check --text with it before printing anything, and Vocab::load
// every line.
void require_utf8(const std::string& what, const std::string& text);

std::vector<std::string> tokenize_words(const std::string& utf8_text);
std::vector<std::string> tokenize_chars(const std::string& utf8_text);

class Vocab {
public:
    static constexpr arma::uword pad = 0, unk = 1, bos = 2, eos = 3;

    Vocab();  // the four specials only
    // One token per line (UTF-8, require_utf8); the four specials first, in id order.
    // InputError on a missing file, a line that is not UTF-8, an empty line or one with a
    // control character (U+0000–U+001F, U+007F: it would not read back as itself), a
    // duplicate token, or specials out of place. One \r before each \n is a CRLF ending.
    static Vocab load(const std::string& path);
    // The same from the file's text (a checkpoint's metadata holds it); `where` names it
    // in messages ("m.safetensors: metadata vocabulary").
    static Vocab parse(const std::string& text, const std::string& where);
    // The text parse() reads: one token per line, specials first.
    std::string text() const;
    // The specials, then the given tokens in order (duplicates skipped); InputError for
    // a token that parse() would refuse (empty, or with a control character).
    static Vocab from_tokens(const std::vector<std::string>& tokens);
    // Default lesson vocabulary, data/vocab.txt (found relative to the executable or
    // the working directory).
    static Vocab lesson_default();

    arma::uword id(const std::string& token) const;  // unknown → unk
    const std::string& token(arma::uword id) const;  // InputError if out of range
    arma::uword size() const { return tokens_.size(); }
    bool contains(const std::string& token) const;

    std::vector<arma::uword> encode(const std::vector<std::string>& tokens) const;
    std::vector<std::string> decode(const std::vector<arma::uword>& ids) const;

private:
    std::vector<std::string> tokens_;
    std::map<std::string, arma::uword> ids_;
};

}  // namespace tfm
