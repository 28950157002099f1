#include "train/mlm.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "text/poems.hpp"
#include "train/lm_loop.hpp"

#include <algorithm>
#include <cmath>

namespace tfm {
namespace {

bool maskable(arma::uword id) {
    return id != Vocab::pad && id != Vocab::bos && id != Vocab::eos && id != mask_id;
}

// The masked pieces of max_positions ids of `sequences`, masked from one generator.
std::vector<MaskedExample> masked_pieces(const std::vector<TokenIds>& pieces, arma::uword vocab,
                                         std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<MaskedExample> out;
    for (const TokenIds& p : pieces) out.push_back(mask_tokens(p, vocab, rng));
    return out;
}

}  // namespace

MaskedExample mask_tokens(const TokenIds& ids, const arma::mat& draws, arma::uword vocab_size,
                          const MaskingRecipe& recipe) {
    require(draws.n_rows == ids.size() && draws.n_cols == 4, [&] {
        return "mask_tokens: the draws must be [" + std::to_string(ids.size()) + " × 4], got [" +
               std::to_string(draws.n_rows) + " × " + std::to_string(draws.n_cols) + "]";
    });
    const arma::uword first = mask_id + 1;
    require(vocab_size > first, "mask_tokens: the vocabulary has no character after <mask>");
    MaskedExample e{ids, TokenIds(ids.size(), Vocab::pad)};
    for (std::size_t t = 0; t < ids.size(); ++t) {
        if (!maskable(ids[t]) || draws(t, 0) >= recipe.chosen) continue;
        e.target[t] = ids[t];
        if (draws(t, 1) < recipe.masked)
            e.input[t] = mask_id;
        else if (draws(t, 2) < recipe.random)
            e.input[t] = std::min(
                vocab_size - 1, first + static_cast<arma::uword>(
                                            draws(t, 3) * static_cast<double>(vocab_size - first)));
    }
    return e;
}

MaskedExample mask_tokens(const TokenIds& ids, arma::uword vocab_size, std::mt19937_64& rng,
                          const MaskingRecipe& recipe) {
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    arma::mat draws(ids.size(), 4);
    for (arma::uword t = 0; t < draws.n_rows; ++t)
        for (arma::uword j = 0; j < 4; ++j) draws(t, j) = uniform(rng);
    return mask_tokens(ids, draws, vocab_size, recipe);
}

CrossEntropy mlm_loss(Bert& model, const std::vector<MaskedExample>& batch,
                      double label_smoothing) {
    require(!batch.empty(), "mlm_loss: an empty batch");
    const arma::uword n = batch.front().input.size();
    std::vector<TokenIds> inputs;
    std::vector<arma::uword> rows;  // the chosen positions, in the B·n stacked rows
    TokenIds targets;
    for (std::size_t b = 0; b < batch.size(); ++b) {
        const MaskedExample& e = batch[b];
        require(e.target.size() == e.input.size(), [&] {
            return "cross_entropy: " + std::to_string(e.target.size()) + " targets for " +
                   std::to_string(e.input.size()) + " rows of logits";
        });
        inputs.push_back(e.input);
        for (arma::uword t = 0; t < e.target.size(); ++t)
            if (e.target[t] != Vocab::pad) {
                rows.push_back(b * n + t);
                targets.push_back(e.target[t]);
            }
    }
    if (rows.empty())  // nothing chosen: no loss, and a zero gradient for every row
        return cross_entropy(model.forward(inputs), TokenIds(batch.size() * n, Vocab::pad),
                             Vocab::pad, label_smoothing);
    // The head on the chosen rows alone (Bert::forward_rows); backward takes their dlogits.
    return cross_entropy(model.forward_rows(inputs, rows), targets, Vocab::pad, label_smoothing);
}

MlmScore mlm_score(Bert& model, const std::vector<TokenIds>& sequences, std::uint64_t seed) {
    const std::vector<MaskedExample> examples = masked_pieces(
        lm_pieces(sequences, model.config.max_positions), model.config.src_vocab_size, seed);
    MlmScore s;
    double nats = 0, right = 0;
    for (std::size_t at = 0; at < examples.size(); at += 32) {  // 32 pieces per forward pass
        const std::vector<MaskedExample> part(
            examples.begin() + static_cast<std::ptrdiff_t>(at),
            examples.begin() + static_cast<std::ptrdiff_t>(std::min(at + 32, examples.size())));
        std::vector<TokenIds> inputs, targets;
        for (const MaskedExample& e : part) {
            inputs.push_back(e.input);
            targets.push_back(e.target);
        }
        const arma::mat logits = model.forward(inputs);
        const arma::uword n = inputs.front().size();
        const CrossEntropy ce = batch_cross_entropy(logits, targets, Vocab::pad);
        nats += ce.total;
        s.count += ce.count;
        for (std::size_t b = 0; b < part.size(); ++b)
            for (arma::uword t = 0; t < n; ++t)
                if (part[b].target[t] != Vocab::pad &&
                    logits.row(b * n + t).index_max() == part[b].target[t])
                    ++right;
    }
    if (s.count > 0) {
        s.bits = nats / static_cast<double>(s.count) / std::log(2.0);
        s.accuracy = right / static_cast<double>(s.count);
    }
    return s;
}

LmTrainReport train_mlm(Bert& model, const std::vector<TokenIds>& train,
                        const std::vector<TokenIds>& held_out, const LmTrainOptions& options,
                        std::FILE* progress) {
    const std::vector<TokenIds> pieces = lm_pieces(train, model.config.max_positions);
    std::mt19937_64 masking(options.seed * 104729 + 5);
    const std::uint64_t held_out_seed = options.seed + 12;
    return detail::run_lm_training(
        model, options,
        [&](arma::uword step) {
            std::vector<MaskedExample> batch;
            for (const TokenIds& p :
                 sample_pieces(pieces, options.batch, options.seed * 1000003 + step))
                batch.push_back(mask_tokens(p, model.config.src_vocab_size, masking));
            return batch;
        },
        [&](Bert& m, const std::vector<MaskedExample>& examples) {
            return mlm_loss(m, examples, options.label_smoothing);
        },
        [&] { return mlm_score(model, held_out, held_out_seed).bits; }, N_("masked char"),
        progress);
}

}  // namespace tfm
