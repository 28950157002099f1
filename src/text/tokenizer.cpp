#include "text/tokenizer.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "io/files.hpp"

#include <cstdio>
#include <sstream>

namespace tfm {
namespace {

// One UTF-8 character: its bytes and its code point.
struct Char {
    std::string bytes;
    char32_t code;
};

std::string hex_byte(unsigned char b) {
    const char* digits = "0123456789ABCDEF";
    return std::string("0x") + digits[b >> 4] + digits[b & 0xF];
}

std::string code_point(char32_t c) {
    std::string hex;
    for (; c > 0 || hex.size() < 4; c >>= 4) hex.insert(hex.begin(), "0123456789ABCDEF"[c & 0xF]);
    return "U+" + hex;
}

// The characters of `text`, or the first problem that makes it not UTF-8 (RFC 3629):
// empty when there is none.
std::string decode_utf8(const std::string& text, std::vector<Char>* chars) {
    for (std::size_t i = 0; i < text.size();) {
        const unsigned char lead = text[i];
        const std::size_t len = lead < 0x80   ? 1
                                : lead < 0xC0 ? 0
                                : lead < 0xE0 ? 2
                                : lead < 0xF0 ? 3
                                              : 4;
        if (len == 0)
            return tr("at byte {1}: {2} is a continuation byte with no character to continue", i,
                      hex_byte(lead));
        if (lead == 0xC0 || lead == 0xC1)
            return tr("at byte {1}: {2} starts an overlong encoding of an ASCII character", i,
                      hex_byte(lead));
        if (lead > 0xF4) return tr("at byte {1}: {2} never occurs in UTF-8", i, hex_byte(lead));
        char32_t code = len == 1   ? lead
                        : len == 2 ? (lead & 0x1F)
                        : len == 3 ? (lead & 0x0F)
                                   : (lead & 0x07);
        for (std::size_t k = 1; k < len; ++k) {
            if (i + k >= text.size())
                return tr("at byte {1}: the text ends inside a {2}-byte character", i, len);
            const unsigned char next = text[i + k];
            if ((next & 0xC0) != 0x80)
                return tr(
                    "at byte {1}: the {2}-byte character lacks its byte {3} ({4} is not a "
                    "continuation byte)",
                    i, len, k + 1, hex_byte(next));
            code = (code << 6) | (next & 0x3F);
        }
        const char32_t least = len == 1 ? 0 : len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
        if (code < least)
            return tr("at byte {1}: an overlong encoding of {2} in {3} bytes", i, code_point(code),
                      len);
        if (code >= 0xD800 && code <= 0xDFFF)
            return tr("at byte {1}: {2} is a UTF-16 surrogate, which UTF-8 does not encode", i,
                      code_point(code));
        if (code > 0x10FFFF)
            return tr("at byte {1}: {2} is above U+10FFFF, the last code point", i,
                      code_point(code));
        if (chars) chars->push_back({text.substr(i, len), code});
        i += len;
    }
    return "";
}

std::vector<Char> utf8_chars(const std::string& text) {
    std::vector<Char> chars;
    const std::string problem = decode_utf8(text, &chars);
    if (!problem.empty()) throw InputError(tr("text is not valid UTF-8 {1}", problem));
    return chars;
}

// CJK ideographs, kana, CJK and full-width punctuation: one token per character.
bool is_cjk(char32_t c) {
    return (c >= 0x2E80 && c <= 0x2FDF) || (c >= 0x3000 && c <= 0x30FF) ||
           (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
           (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x3FFFF);
}

bool is_space(char32_t c) {
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xA0 || (c >= 0x2000 && c <= 0x200A) ||
           c == 0x202F || c == 0x205F || c == 0x3000;
}

// Letters and digits of any script (outside CJK) make words; ASCII symbols and the
// general punctuation block (dashes, curly quotes, …) are punctuation.
bool is_word_char(char32_t c) {
    if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if ((c >= 0x80 && c <= 0xBF) || c == 0xD7 || c == 0xF7) return false;  // Latin-1 signs: « ¿ × ÷
    if (c >= 0x2000 && c <= 0x206F) return false;
    return !is_cjk(c);
}

std::string lower_ascii(std::string s) {
    for (char& ch : s)
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    return s;
}

}  // namespace

void require_utf8(const std::string& what, const std::string& text) {
    const std::string problem = decode_utf8(text, nullptr);
    if (!problem.empty()) throw InputError(tr("{1} is not valid UTF-8 {2}", what, problem));
}

std::vector<std::string> tokenize_words(const std::string& utf8_text) {
    const std::vector<Char> chars = utf8_chars(utf8_text);
    std::vector<std::string> tokens;
    std::string word;
    auto flush = [&] {
        if (!word.empty()) tokens.push_back(lower_ascii(word));
        word.clear();
    };
    for (std::size_t i = 0; i < chars.size(); ++i) {
        const char32_t c = chars[i].code;
        // An apostrophe between two letters belongs to the word: "don't", "it's".
        const bool inner_apostrophe = (c == '\'' || c == 0x2019) && !word.empty() &&
                                      i + 1 < chars.size() && is_word_char(chars[i + 1].code);
        if (is_word_char(c) || inner_apostrophe) {
            word += chars[i].bytes;
            continue;
        }
        flush();
        if (!is_space(c)) tokens.push_back(chars[i].bytes);
    }
    flush();
    return tokens;
}

std::vector<std::string> tokenize_chars(const std::string& utf8_text) {
    std::vector<std::string> tokens;
    for (const Char& c : utf8_chars(utf8_text)) tokens.push_back(c.bytes);
    return tokens;
}

Vocab::Vocab() : tokens_{"<pad>", "<unk>", "<bos>", "<eos>"} {
    for (arma::uword i = 0; i < tokens_.size(); ++i) ids_[tokens_[i]] = i;
}

namespace {

// A vocabulary file holds one token per line, so a token with a control character in it
// (a line break, a carriage return that the reader would take for a CRLF ending, NUL) would
// not read back as itself. "" when the token can be a line; else the message: about
// "vocabulary token N" when path is empty, else about "PATH: line N".
std::string token_problem(const std::string& token, const std::string& path, std::size_t n) {
    if (token.empty())
        return path.empty() ? tr("vocabulary token {1} is empty", n)
                            : tr("{1}: line {2} is empty", path, n);
    for (std::size_t i = 0; i < token.size(); ++i) {
        const unsigned char b = static_cast<unsigned char>(token[i]);
        if (b < 0x20 || b == 0x7F) {
            char code[8];
            std::snprintf(code, sizeof code, "U+%04X", b);
            return path.empty() ? tr("vocabulary token {1} holds the control character {2} at "
                                     "byte {3} (a token must fit on one line)",
                                     n, code, i)
                                : tr("{1}: line {2} holds the control character {3} at byte {4} "
                                     "(a token must fit on one line)",
                                     path, n, code, i);
        }
    }
    return "";
}

}  // namespace

Vocab Vocab::from_tokens(const std::vector<std::string>& tokens) {
    Vocab v;
    for (const std::string& t : tokens) {
        if (v.ids_.count(t)) continue;
        const std::string problem = token_problem(t, "", v.size());
        require(problem.empty(), problem);
        v.ids_[t] = v.tokens_.size();
        v.tokens_.push_back(t);
    }
    return v;
}

Vocab Vocab::load(const std::string& path) {
    return parse(read_file_bytes(path), path);  // the size checked against the memory budget
}

std::string Vocab::text() const {
    std::string text;
    for (const std::string& t : tokens_) text += t + '\n';
    return text;
}

Vocab Vocab::parse(const std::string& text, const std::string& path) {
    std::istringstream in(text);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(line);
    }
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    const Vocab specials;
    for (arma::uword i = 0; i < specials.size(); ++i)
        require(i < lines.size() && lines[i] == specials.token(i),
                tr("{1}: line {2} must be {3} (the four specials come first, in id order)", path,
                   i + 1, specials.token(i)));
    Vocab v = specials;
    for (std::size_t i = specials.size(); i < lines.size(); ++i) {
        const std::string line = tr("{1}: line {2}", path, i + 1);
        require_utf8(line, lines[i]);
        const std::string problem = token_problem(lines[i], path, i + 1);
        require(problem.empty(), problem);
        require(!v.ids_.count(lines[i]),
                tr("{1}: line {2}: token '{3}' appears twice", path, i + 1, lines[i]));
        v.ids_[lines[i]] = v.tokens_.size();
        v.tokens_.push_back(lines[i]);
    }
    return v;
}

Vocab Vocab::lesson_default() { return load(data_path("vocab.txt")); }

arma::uword Vocab::id(const std::string& token) const {
    const auto it = ids_.find(token);
    return it == ids_.end() ? unk : it->second;
}

const std::string& Vocab::token(arma::uword id) const {
    require(id < tokens_.size(),
            tr("token id {1} is outside the vocabulary (size {2})", id, tokens_.size()));
    return tokens_[id];
}

bool Vocab::contains(const std::string& token) const { return ids_.count(token) > 0; }

std::vector<arma::uword> Vocab::encode(const std::vector<std::string>& tokens) const {
    std::vector<arma::uword> ids;
    for (const std::string& t : tokens) ids.push_back(id(t));
    return ids;
}

std::vector<std::string> Vocab::decode(const std::vector<arma::uword>& ids) const {
    std::vector<std::string> tokens;
    for (arma::uword i : ids) tokens.push_back(token(i));
    return tokens;
}

}  // namespace tfm
