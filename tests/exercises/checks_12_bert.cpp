// The checks of lesson 12, BERT (checks.hpp; how they decide: checks_common.cpp).
#include "exercises/checks_common.hpp"

#include "core/random.hpp"
#include "text/poems.hpp"
#include "text/tokenizer.hpp"

#include <cmath>
#include <vector>

namespace ex {

using namespace check;

namespace {

// ── a model of the right recipe and of the usual mistakes, apart from src/ ──

enum class MaskMistake { none, all_positions, recipe_on_all, specials_chosen, random_any_id };
tfm::MaskedExample model_masking(const tfm::TokenIds& ids, const arma::mat& u, arma::uword V,
                                 MaskMistake m = MaskMistake::none) {
    tfm::MaskedExample e{ids, tfm::TokenIds(ids.size(), tfm::Vocab::pad)};
    for (std::size_t t = 0; t < ids.size(); ++t) {
        const arma::uword id = ids[t];
        const bool special = id == tfm::Vocab::pad || id == tfm::Vocab::bos ||
                             id == tfm::Vocab::eos || id == tfm::mask_id;
        if (special && m != MaskMistake::specials_chosen) continue;
        const bool chosen = u(t, 0) < 0.15;
        if (chosen || m == MaskMistake::all_positions) e.target[t] = id;
        if (!chosen && m != MaskMistake::recipe_on_all) continue;
        if (u(t, 1) < 0.8)
            e.input[t] = tfm::mask_id;
        else if (u(t, 2) < 0.5)
            e.input[t] = m == MaskMistake::random_any_id
                             ? static_cast<arma::uword>(u(t, 3) * static_cast<double>(V))
                             : 5 + static_cast<arma::uword>(u(t, 3) * static_cast<double>(V - 5));
    }
    return e;
}

std::string ids_text(const tfm::TokenIds& ids) {
    std::string s;
    for (std::size_t i = 0; i < ids.size(); ++i) s += (i ? " " : "") + std::to_string(ids[i]);
    return s;
}

}  // namespace

std::string check_mlm_masking(decltype(&mlm_masking) candidate) {
    // Poems of 40 ids over a vocabulary of 30: <bos>, characters (one <mask> among them,
    // as a line given to the model may hold), <eos>, then <pad>. The draws come from a
    // fixed seed, so about 6 positions of each are chosen.
    const arma::uword V = 30;
    for (std::uint64_t s = 0; s < 4; ++s) {
        tfm::set_seed(120 + s);
        tfm::TokenIds ids{tfm::Vocab::bos};
        for (int t = 0; t < 34; ++t) ids.push_back(5 + (static_cast<arma::uword>(t) * 7 + s) % 25);
        ids[9] = tfm::mask_id;
        ids.push_back(tfm::Vocab::eos);
        ids.resize(40, tfm::Vocab::pad);
        const arma::mat u = tfm::uniform(40, 4, 0.5) + 0.5;  // U[0, 1)
        const tfm::MaskedExample want = model_masking(ids, u, V);
        tfm::MaskedExample got;
        const std::string why = attempt([&] { got = candidate(ids, u, V); }, threw_on_valid_input);
        if (!why.empty()) return why;
        if (got.input == want.input && got.target == want.target) continue;
        const std::string when = " (poem " + std::to_string(s + 1) + ")";
        const auto is = [&](MaskMistake m) {
            const tfm::MaskedExample e = model_masking(ids, u, V, m);
            return got.input == e.input && got.target == e.target;
        };
        if (is(MaskMistake::all_positions))
            return "the loss counts all positions: only the chosen ones (u(t,0) < 0.15) get a "
                   "target; every other target is <pad>" +
                   when;
        if (is(MaskMistake::recipe_on_all))
            return "the 80/10/10 split was applied to all tokens: only a chosen position "
                   "(u(t,0) < 0.15) is replaced; the others keep their input" +
                   when;
        if (is(MaskMistake::specials_chosen))
            return "a reserved token was chosen: <pad>, <bos>, <eos> and <mask> are never "
                   "predicted" +
                   when;
        if (is(MaskMistake::random_any_id))
            return "the random character was drawn from the whole vocabulary: it is 5 + "
                   "⌊u(t,3) · (V − 5)⌋, never a reserved id" +
                   when;
        if (got.input.size() != ids.size() || got.target.size() != ids.size())
            return "input and target must have one id per position (" + std::to_string(ids.size()) +
                   ")" + when;
        if (got.target != want.target)
            return "targets: expected " + ids_text(want.target) + ", got " + ids_text(got.target) +
                   when;
        return "inputs: expected " + ids_text(want.input) + ", got " + ids_text(got.input) + when;
    }
    return "";
}

}  // namespace ex
