// Token embedding: row lookup in E [vocab × d_model]. one_hot(ids) · E equals the lookup.
// Backward adds dy's rows into the rows that were looked up — and only those.
#pragma once
#include "core/params.hpp"

#include <armadillo>
#include <string>
#include <vector>

namespace tfm {

using TokenIds = std::vector<arma::uword>;

class Embedding {
public:
    // Draws E from N(0, 1/d_model) (see stddev).
    Embedding(arma::uword vocab_size, arma::uword d_model);
    static double stddev(arma::uword d_model);  // 1/√d_model

    arma::mat forward(const TokenIds& ids);  // [n × d_model]; InputError if an id ≥ vocab
    void backward(const arma::mat& dy);      // uses the cached ids
    // The same lookup in a table held elsewhere (a shared embedding reads its owner's:
    // one tensor, no copy); the gradient rows are added into that table's gradient.
    arma::mat forward(const TokenIds& ids, const arma::mat& tied_table);
    void backward(const arma::mat& dy, arma::mat& tied_table_grad);

    void zero_grad();
    void params(const std::string& prefix, ParamList& out);  // prefix+"weight" (none when tied)
    static void shapes(const std::string& prefix, arma::uword vocab_size, arma::uword d_model,
                       ShapeList& out);

    arma::mat weight;  // E [vocab × d_model]  (empty when tied to another table)
    arma::mat weight_grad;

private:
    TokenIds ids_;
};

// one_hot(ids) [n × vocab] — for showing that one_hot · E equals the lookup.
arma::mat one_hot(const TokenIds& ids, arma::uword vocab_size);

}  // namespace tfm
