#include "nn/class_head.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/shape.hpp"

namespace tfm {

ClassHead::ClassHead(arma::uword d_model, arma::uword classes) : linear(d_model, classes) {}

arma::mat ClassHead::forward(const arma::mat& h, arma::uword sequences) {
    require(sequences > 0 && h.n_rows % sequences == 0, [&] {
        return tr("{1} rows do not split into {2} sequences of one length", h.n_rows, sequences);
    });
    rows_ = h.n_rows;
    per_sequence_ = h.n_rows / sequences;
    const arma::uvec cls = arma::regspace<arma::uvec>(0, per_sequence_, rows_ - 1);
    return linear.forward(h.rows(cls));
}

arma::mat ClassHead::backward(const arma::mat& dlogits) {
    require(dlogits.n_rows * per_sequence_ == rows_,
            [&] { return tr("class head backward: dlogits must have one row per sequence"); });
    const arma::mat dcls = linear.backward(dlogits);
    arma::mat dh(rows_, dcls.n_cols, arma::fill::zeros);
    for (arma::uword b = 0; b < dcls.n_rows; ++b) dh.row(b * per_sequence_) = dcls.row(b);
    return dh;
}

void ClassHead::params(const std::string& prefix, ParamList& out) { linear.params(prefix, out); }

void ClassHead::shapes(const std::string& prefix, arma::uword d_model, arma::uword classes,
                       ShapeList& out) {
    Linear::shapes(prefix, d_model, classes, out);
}

}  // namespace tfm
