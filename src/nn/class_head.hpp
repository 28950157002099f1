// Classification from the [CLS] row (ViT, BERT's pooling without its tanh layer):
//   logits_b = h_b[0] · weightᵀ + bias                  [B × classes]
// h [B·n × d_model] holds B sequences of n rows; only row 0 of each (the [CLS] row) is read.
// Backward (adds into the Linear's gradients): dh is 0 except on the [CLS] rows, which get
// dlogits_b · weight.
#pragma once
#include "core/params.hpp"
#include "nn/linear.hpp"

#include <armadillo>
#include <string>

namespace tfm {

class ClassHead {
public:
    ClassHead(arma::uword d_model, arma::uword classes);

    arma::mat forward(const arma::mat& h, arma::uword sequences = 1);
    arma::mat backward(const arma::mat& dlogits);

    void zero_grad() { linear.zero_grad(); }
    void params(const std::string& prefix, ParamList& out);  // prefix + "weight", "bias"
    static void shapes(const std::string& prefix, arma::uword d_model, arma::uword classes,
                       ShapeList& out);

    Linear linear;

private:
    arma::uword rows_ = 0, per_sequence_ = 1;
};

}  // namespace tfm
