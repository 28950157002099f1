#include "analysis/head_split.hpp"

#include <stdexcept>
#include <string>

namespace tfm {

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
        arma::mat y = x * w_j.t();                                       // [n × d_k]
        if (!bias.is_empty()) y.each_row() += bias.cols(j * d_k, (j + 1) * d_k - 1);
        heads.push_back(y);
    }
    return heads;
}

}  // namespace tfm
