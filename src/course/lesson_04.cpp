#include "course/lesson_04.hpp"

#include "analysis/cost.hpp"
#include "analysis/matrix_stats.hpp"
#include "core/i18n.hpp"
#include "io/printer.hpp"
#include "io/table.hpp"
#include "nn/multi_head_attention.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

namespace tfm::course {

namespace {
arma::uword head_width(arma::uword width, arma::uword num_heads) {
    if (num_heads == 0 || width % num_heads != 0)
        throw std::invalid_argument("head split: " + std::to_string(width) +
                                    " columns do not split into " + std::to_string(num_heads) +
                                    " heads");
    return width / num_heads;
}
}  // namespace

arma::mat head_block(const arma::mat& m, arma::uword head, arma::uword num_heads) {
    const arma::uword d_k = head_width(m.n_cols, num_heads);
    if (head >= num_heads) throw std::invalid_argument("head_block: no such head");
    return m.cols(head * d_k, (head + 1) * d_k - 1);
}

std::vector<arma::mat> project_per_head(const arma::mat& x, const arma::mat& weight,
                                        const arma::mat& bias, arma::uword num_heads) {
    const arma::uword d_k = head_width(weight.n_rows, num_heads);
    std::vector<arma::mat> heads;
    for (arma::uword j = 0; j < num_heads; ++j) {
        const arma::mat w_j = weight.rows(j * d_k, (j + 1) * d_k - 1);  // [d_k × d_model]
        arma::mat y = x * w_j.t();                                      // [n × d_k]
        if (!bias.is_empty()) y.each_row() += bias.cols(j * d_k, (j + 1) * d_k - 1);
        heads.push_back(y);
    }
    return heads;
}

TextTable head_split_table(const MultiHeadAttention& mha, const arma::mat& x) {
    TextTable t{{tr("projection"), tr("h separate products"), tr("max |small − block of big|")},
                {}};
    const arma::uword h = mha.num_heads;
    const std::pair<const char*, const Linear*> projections[] = {
        {"Q", &mha.wq}, {"K", &mha.wk}, {"V", &mha.wv}};
    const arma::mat* full[] = {&mha.q_, &mha.k_, &mha.v_};
    for (int p = 0; p < 3; ++p) {
        const std::vector<arma::mat> small =
            project_per_head(x, projections[p].second->weight, projections[p].second->bias, h);
        double diff = 0.0;
        for (arma::uword j = 0; j < h; ++j)
            diff = std::max(diff, max_abs_diff(small[j], head_block(*full[p], j, h)));
        t.rows.push_back({projections[p].first, std::to_string(h) + " × " + shape_of(small[0]),
                          format_diff(diff)});
    }
    return t;
}

TextTable head_cost_table(arma::uword seq_len, arma::uword d_model, arma::uword fixed_d_k) {
    // The last column is what does grow with h at fixed d_model: h·n² attention weights,
    // each one softmax evaluation, to store and normalise (not a multiply-add).
    TextTable t{{"h", "d_k", "h·d_k", tr("Q,K,V proj."), "scores + weights·V", "Wo", tr("total"),
                 "× h=1", tr("h·n² weights")},
                {}};
    const std::uint64_t base =
        multi_head_attention_cost(seq_len, d_model, 1, fixed_d_k ? fixed_d_k : d_model).total();
    for (arma::uword h : {1u, 2u, 4u, 8u, 16u}) {
        const arma::uword d_k = fixed_d_k ? fixed_d_k : d_model / h;
        const AttentionCost cost = multi_head_attention_cost(seq_len, d_model, h, d_k);
        t.rows.push_back(
            {std::to_string(h), std::to_string(d_k), std::to_string(h * d_k),
             format_count(cost.projections), format_count(cost.scores + cost.mixing),
             format_count(cost.output), format_count(cost.total()),
             format_number(static_cast<double>(cost.total()) / static_cast<double>(base), 2),
             format_count(static_cast<std::uint64_t>(h) * seq_len * seq_len)});
    }
    return t;
}

}  // namespace tfm::course
