#include "nn/embedding.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/random.hpp"
#include "core/shape.hpp"

#include <cmath>

namespace tfm {

namespace {

void check_ids(const TokenIds& ids, arma::uword vocab_size) {
    for (arma::uword id : ids)
        require(id < vocab_size, [&] {
            return tr("token id {1} is outside the vocabulary (size {2})", id, vocab_size);
        });
}

}  // namespace

Embedding::Embedding(arma::uword vocab_size, arma::uword d_model)
    : weight(normal(vocab_size, d_model, stddev(d_model))),
      weight_grad(vocab_size, d_model, arma::fill::zeros) {}

arma::mat Embedding::forward(const TokenIds& ids) { return forward(ids, weight); }

void Embedding::backward(const arma::mat& dy) { backward(dy, weight_grad); }

arma::mat Embedding::forward(const TokenIds& ids, const arma::mat& table) {
    check_ids(ids, table.n_rows);
    ids_ = ids;
    arma::mat rows(ids.size(), table.n_cols);
    for (arma::uword t = 0; t < ids.size(); ++t) rows.row(t) = table.row(ids[t]);
    return rows;
}

void Embedding::backward(const arma::mat& dy, arma::mat& table_grad) {
    require(dy.n_rows == ids_.size() && dy.n_cols == table_grad.n_cols, [&] {
        return tr("embedding backward: dy must be {1}",
                  shape_string(ids_.size(), table_grad.n_cols));
    });
    // Row t of the output was row ids[t] of E: only those rows get gradient
    // (a token that appears twice collects both).
    for (arma::uword t = 0; t < ids_.size(); ++t) table_grad.row(ids_[t]) += dy.row(t);
}

// N(0, 1/d_model), the size the 2017 paper's shared embedding has: × √d_model then
// brings the rows to about 1, the size of the positional encoding.
double Embedding::stddev(arma::uword d_model) {
    return 1.0 / std::sqrt(static_cast<double>(d_model));
}

void Embedding::zero_grad() { weight_grad.zeros(); }

void Embedding::params(const std::string& prefix, ParamList& out) {
    if (!weight.is_empty())
        out.push_back({prefix + "weight",
                       &weight,
                       &weight_grad,
                       false,
                       {Init::normal, stddev(weight.n_cols)}});
}

void Embedding::shapes(const std::string& prefix, arma::uword vocab_size, arma::uword d_model,
                       ShapeList& out) {
    out.push_back({prefix + "weight", {vocab_size, d_model}});
}

arma::mat one_hot(const TokenIds& ids, arma::uword vocab_size) {
    check_ids(ids, vocab_size);
    arma::mat hot(ids.size(), vocab_size, arma::fill::zeros);
    for (arma::uword t = 0; t < ids.size(); ++t) hot(t, ids[t]) = 1.0;
    return hot;
}

}  // namespace tfm
