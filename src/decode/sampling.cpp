#include "decode/sampling.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "ops/softmax.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace tfm {

void SamplingOptions::validate(arma::uword vocab_size) const {
    require(temperature >= 0.0 && std::isfinite(temperature),
            tr("--temperature must be ≥ 0 (0: greedy), got {1}", std::to_string(temperature)));
    require(top_k <= vocab_size,
            tr("--top-k {1} is more than the {2} tokens of the vocabulary (0: no top-k filter)",
               top_k, vocab_size));
    require(top_p > 0.0 && top_p <= 1.0,
            tr("--top-p must lie in (0, 1] (1: no top-p filter), got {1}", std::to_string(top_p)));
}

std::vector<arma::uword> rank_tokens(const arma::rowvec& probs) {
    std::vector<arma::uword> order(probs.n_elem);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](arma::uword a, arma::uword b) { return probs(a) > probs(b); });
    return order;
}

arma::rowvec temperature_softmax(const arma::rowvec& logits, double temperature) {
    if (temperature == 0.0) {  // the limit T → 0: all mass on the arg-max (lowest id on ties)
        arma::rowvec p(logits.n_elem, arma::fill::zeros);
        p(logits.index_max()) = 1.0;
        return p;
    }
    return softmax_rows(logits / temperature);
}

namespace {

// probs with every token outside `kept` set to 0, then renormalised.
arma::rowvec keep_only(const arma::rowvec& probs, const std::vector<arma::uword>& order,
                       std::size_t kept) {
    arma::rowvec out(probs.n_elem, arma::fill::zeros);
    for (std::size_t i = 0; i < kept; ++i) out(order[i]) = probs(order[i]);
    return out / arma::accu(out);
}

}  // namespace

arma::rowvec top_k_filter(const arma::rowvec& probs, arma::uword k) {
    if (k == 0 || k >= probs.n_elem) return probs;
    return keep_only(probs, rank_tokens(probs), k);
}

arma::rowvec top_p_filter(const arma::rowvec& probs, double p) {
    if (p >= 1.0) return probs;
    const std::vector<arma::uword> order = rank_tokens(probs);
    const double total = arma::accu(probs), target = p * total * (1.0 - 1e-12);
    double mass = 0.0;
    std::size_t kept = 0;
    while (kept < order.size() && mass < target) mass += probs(order[kept++]);
    return keep_only(probs, order, std::max<std::size_t>(kept, 1));
}

arma::rowvec sampling_distribution(const arma::rowvec& logits, const SamplingOptions& options) {
    return top_p_filter(
        top_k_filter(temperature_softmax(logits, options.temperature), options.top_k),
        options.top_p);
}

arma::uword draw_token(const arma::rowvec& probs, double u) {
    const double target = u * arma::accu(probs);
    double sum = 0.0;
    arma::uword last_possible = 0;
    for (arma::uword i = 0; i < probs.n_elem; ++i) {
        if (probs(i) <= 0.0) continue;
        sum += probs(i);
        last_possible = i;
        if (sum > target) return i;
    }
    return last_possible;  // u · Σ rounded up to the whole sum
}

double entropy(const arma::rowvec& probs) {
    double h = 0.0;
    for (double p : probs)
        if (p > 0.0) h -= p * std::log(p);
    return h;
}

}  // namespace tfm
