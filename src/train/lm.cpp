#include "train/lm.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "text/tokenizer.hpp"
#include "train/lm_loop.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace tfm {

LmExample shift_for_lm(const TokenIds& window) {
    require(window.size() >= 2, [&] {
        return tr("a language-model window needs at least 2 tokens, got {1}", window.size());
    });
    return {TokenIds(window.begin(), window.end() - 1), TokenIds(window.begin() + 1, window.end())};
}

CrossEntropy lm_loss(Gpt& model, const std::vector<TokenIds>& windows, double label_smoothing) {
    std::vector<LmExample> examples;
    std::vector<TokenIds> inputs;
    for (const TokenIds& w : windows) {
        examples.push_back(shift_for_lm(w));
        inputs.push_back(examples.back().input);
    }
    std::vector<TokenIds> targets;
    for (const LmExample& e : examples) targets.push_back(e.target);
    return batch_cross_entropy(model.forward(inputs), targets, Vocab::pad, label_smoothing);
}

std::vector<TokenIds> lm_pieces(const std::vector<TokenIds>& sequences, arma::uword length) {
    require(length >= 2,
            [&] { return tr("a language-model piece needs at least 2 ids, got {1}", length); });
    std::vector<TokenIds> pieces;
    for (const TokenIds& s : sequences)
        for (std::size_t start = 0; start + 1 < s.size(); start += length - 1) {
            const std::size_t end = std::min<std::size_t>(s.size(), start + length);
            TokenIds piece(s.begin() + static_cast<std::ptrdiff_t>(start),
                           s.begin() + static_cast<std::ptrdiff_t>(end));
            piece.resize(length, Vocab::pad);
            pieces.push_back(std::move(piece));
        }
    return pieces;
}

std::vector<TokenIds> sample_pieces(const std::vector<TokenIds>& pieces, arma::uword count,
                                    std::uint64_t seed) {
    require(!pieces.empty(), [&] { return tr("there is no text to train on"); });
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
    std::vector<TokenIds> out;
    for (arma::uword i = 0; i < count; ++i) out.push_back(pieces[pick(rng)]);
    return out;
}

double lm_bits(Gpt& model, const std::vector<TokenIds>& sequences) {
    double nats = 0;
    arma::uword count = 0;
    const std::vector<TokenIds> pieces = lm_pieces(sequences, model.config.max_positions + 1);
    for (std::size_t at = 0; at < pieces.size(); at += 32) {  // 32 pieces per forward pass
        const auto end =
            pieces.begin() + static_cast<std::ptrdiff_t>(std::min(at + 32, pieces.size()));
        const CrossEntropy ce = lm_loss(
            model, std::vector<TokenIds>(pieces.begin() + static_cast<std::ptrdiff_t>(at), end));
        nats += ce.total;
        count += ce.count;
    }
    return count > 0 ? nats / static_cast<double>(count) / std::log(2.0) : 0.0;
}

LmTrainReport train_lm(Gpt& model, const std::vector<TokenIds>& train,
                       const std::vector<TokenIds>& held_out, const LmTrainOptions& options,
                       std::FILE* progress) {
    const std::vector<TokenIds> pieces = lm_pieces(train, model.config.max_positions + 1);
    return detail::run_lm_training(
        model, options,
        [&](arma::uword step) {
            return sample_pieces(pieces, options.batch, options.seed * 1000003 + step);
        },
        [&](Gpt& m, const std::vector<TokenIds>& windows) {
            return lm_loss(m, windows, options.label_smoothing);
        },
        [&] { return lm_bits(model, held_out); }, N_("char"), progress);
}

}  // namespace tfm
