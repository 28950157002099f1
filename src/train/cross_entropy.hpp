// Cross-entropy of the generator's logits against the target tokens, the training loss.
//   p = softmax_rows(logits)                          [n × V]
//   q = (1 − ε) · one_hot(target) + ε / V             (label smoothing ε; ε = 0: one-hot)
//   loss_i = −Σ_v q[i, v] · log p[i, v]               per target position i
//   total  = Σ_i loss_i over the positions whose target is not ignore_id (<pad>)
//   dtotal/dlogits[i, ·] = p[i, ·] − q[i, ·], and 0 on ignored rows
// ε spreads over all V classes, as PyTorch's CrossEntropyLoss(label_smoothing=ε) does.
// The mean loss of a batch is total / count summed over its sequences; the trainer
// scales dlogits by 1 / (the batch's count) before backward.
#pragma once
#include "nn/embedding.hpp"

#include <armadillo>

namespace tfm {

struct CrossEntropy {
    double total = 0.0;     // summed over the counted positions
    arma::uword count = 0;  // positions whose target is not ignore_id
    arma::mat dlogits;      // dtotal/dlogits [n × V]
    double mean() const { return count ? total / static_cast<double>(count) : 0.0; }
};

// targets.size() must equal logits.n_rows; every target id < V (InputError otherwise).
CrossEntropy cross_entropy(const arma::mat& logits, const TokenIds& targets,
                           arma::uword ignore_id = 0, double label_smoothing = 0.0);

// The same sums for a batch of sequences of one length n stacked in `logits`
// [batch·n × V], sequence b in rows b·n … b·n + n − 1 with targets[b] (n ids each): one
// cross_entropy over all the rows. InputError unless every sequence has
// logits.n_rows / batch ids.
CrossEntropy batch_cross_entropy(const arma::mat& logits, const std::vector<TokenIds>& targets,
                                 arma::uword ignore_id = 0, double label_smoothing = 0.0);

// log softmax of each row, computed stably: x − max − log Σ exp(x − max).
//
// Both work through the rows 32 at a time, one exp per logit (ops/exp.hpp); a row gets the
// same bits whichever rows stand beside it.
arma::mat log_softmax_rows(const arma::mat& logits);

}  // namespace tfm
