// The vocabulary reader: any bytes give a vocabulary whose ids and tokens map both ways,
// or an InputError.
#include "core/error.hpp"
#include "fuzz/fuzz_target.hpp"
#include "text/tokenizer.hpp"

namespace tfm::fuzz {

int vocab(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const Vocab v = Vocab::parse(text, "fuzz");
        invariant(v.size() >= 4 && v.token(Vocab::unk) == "<unk>", "the specials come first");
        for (arma::uword id = 0; id < v.size(); ++id) {
            invariant(v.id(v.token(id)) == id, "ids and tokens map both ways");
            require_utf8("token", v.token(id));
        }
        invariant(Vocab::parse(v.text(), "again").size() == v.size(), "text() reads back");
    } catch (const InputError&) {}
    return 0;
}

}  // namespace tfm::fuzz

TFM_FUZZ_ENTRY(vocab)
