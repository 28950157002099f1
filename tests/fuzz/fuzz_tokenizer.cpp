// The tokenizers: any bytes are refused as not UTF-8, or split into tokens that are each
// non-empty, valid UTF-8 (what the lessons echo), and together the characters of the text.
#include "core/error.hpp"
#include "fuzz/fuzz_target.hpp"
#include "text/tokenizer.hpp"

namespace tfm::fuzz {

int tokenizer(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    bool valid = true;
    try {
        require_utf8("text", text);
    } catch (const InputError&) {
        valid = false;
    }
    try {
        const std::vector<std::string> words = tokenize_words(text);
        const std::vector<std::string> chars = tokenize_chars(text);
        invariant(valid, "the tokenizers accept only what require_utf8 accepts");
        std::string joined;
        for (const std::string& c : chars) {
            invariant(!c.empty() && c.size() <= 4, "a character is 1 to 4 bytes");
            joined += c;
        }
        invariant(joined == text, "the characters are the text");
        for (const std::string& w : words) {
            invariant(!w.empty(), "no empty word");
            require_utf8("token", w);  // throws InputError, caught below as a broken invariant
        }
    } catch (const InputError&) {
        invariant(!valid, "valid UTF-8 is tokenised");
    }
    return 0;
}

}  // namespace tfm::fuzz

TFM_FUZZ_ENTRY(tokenizer)
