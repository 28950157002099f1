#include "train/inspect.hpp"

#include <algorithm>
#include <numeric>

namespace tfm {

std::vector<TokenProbability> top_k(const arma::rowvec& probabilities, arma::uword k) {
    std::vector<arma::uword> order(probabilities.n_elem);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](arma::uword a, arma::uword b) { return probabilities(a) > probabilities(b); });
    std::vector<TokenProbability> out;
    for (arma::uword i = 0; i < std::min<arma::uword>(k, order.size()); ++i)
        out.push_back({order[i], probabilities(order[i])});
    return out;
}

arma::mat cross_attention_map(const Transformer& model, std::size_t layer) {
    const MultiHeadAttention& attn = model.decoder.layers.at(layer).cross_attn;
    // The first sequence's heads are heads_[0 … num_heads − 1].
    arma::mat sum = attn.heads_.at(0).weights;
    for (std::size_t h = 1; h < attn.num_heads; ++h) sum += attn.heads_.at(h).weights;
    return sum / static_cast<double>(attn.num_heads);
}

std::vector<arma::uword> changed_rows(const arma::mat& before, const arma::mat& after) {
    std::vector<arma::uword> rows;
    for (arma::uword r = 0; r < before.n_rows; ++r) {
        if (arma::any(before.row(r) != after.row(r))) rows.push_back(r);
    }
    return rows;
}

std::string token_label(const Vocab& vocab, arma::uword id) {
    const std::string& t = vocab.token(id);
    return t == " " ? std::string("␣") : t;
}

}  // namespace tfm
