// The masked language-model objective BERT is trained with (lesson 12), BERT's recipe
// (Devlin et al. 2018, §3.1 and appendix A.1):
//
//   each position holding a character is chosen with probability 15% (<bos>, <eos>, <pad>
//   and <mask> never are); a chosen position's input becomes
//       <mask>                 with probability 80%,
//       a random character     10% (uniform over the vocabulary's characters),
//       itself, unchanged      10%,
//   and its target is the original character. Every other position's target is <pad>:
//   loss = Σ over the chosen positions only of −log softmax(logits[t])[original[t]].
//
// The random choices come as uniform draws u [n × 4] in [0, 1), one row per position, so
// that a recipe can be checked exactly: chosen when u(t,0) < 0.15; then <mask> when
// u(t,1) < 0.8, else random when u(t,2) < 0.5 (half of the remaining 20%), the character
// id first + ⌊u(t,3) · (V − first)⌋, first the first character id after <mask>.
#pragma once
#include "model/bert.hpp"
#include "text/poems.hpp"
#include "train/cross_entropy.hpp"
#include "train/lm.hpp"

#include <armadillo>
#include <cstdint>
#include <cstdio>
#include <random>
#include <vector>

namespace tfm {

struct MaskingRecipe {
    double chosen = 0.15;  // share of the character positions predicted
    double masked = 0.8;   // of those, the share shown as <mask>
    double random = 0.5;   // of the rest, the share shown as a random character
};

struct MaskedExample {
    TokenIds input, target;  // target[t] = <pad> where t is not chosen
};

// The recipe applied with the draws u [ids.size() × 4]; vocab_size V > the <mask> id.
MaskedExample mask_tokens(const TokenIds& ids, const arma::mat& draws, arma::uword vocab_size,
                          const MaskingRecipe& recipe = {});
// The same with the draws taken from rng (row by row, u(t,0) … u(t,3)).
MaskedExample mask_tokens(const TokenIds& ids, arma::uword vocab_size, std::mt19937_64& rng,
                          const MaskingRecipe& recipe = {});

// The batch's summed loss over its chosen positions, their count, and dtotal/dlogits of
// those positions alone ([chosen × V], from Bert::forward_rows: model.backward takes them,
// every other row's gradient 0; [B·n × V] of zeros when none is chosen); the inputs all of
// one length ≤ max_positions.
CrossEntropy mlm_loss(Bert& model, const std::vector<MaskedExample>& batch,
                      double label_smoothing = 0.0);

// Mean −log2 p(original) in bits per chosen character over the sequences, read in
// lm_pieces of max_positions ids, each masked by the recipe from `seed` (the same
// positions every call), and the share of them whose most likely id is the original.
struct MlmScore {
    double bits = 0, accuracy = 0;
    arma::uword count = 0;
};
MlmScore mlm_score(Bert& model, const std::vector<TokenIds>& sequences, std::uint64_t seed);

// Training (lesson 12 --train): the loop and options of train_lm (train/lm.hpp), on
// `batch` pieces of max_positions ids per step, each masked afresh; the held-out figure is
// mlm_score's bits (seed fixed), per masked character.
LmTrainReport train_mlm(Bert& model, const std::vector<TokenIds>& train,
                        const std::vector<TokenIds>& held_out, const LmTrainOptions& options,
                        std::FILE* progress);

}  // namespace tfm
