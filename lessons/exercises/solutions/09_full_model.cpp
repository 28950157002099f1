// Reference solutions for lesson 09: the course's greedy decoding (src/model/transformer.hpp)
// and its Adam (src/train/adam.hpp).
#include "exercises.hpp"

#include "model/transformer.hpp"
#include "train/adam.hpp"

namespace ex {

std::vector<tfm::DecodeStep> greedy_decode(tfm::Transformer& model, const tfm::TokenIds& src,
                                           arma::uword bos, arma::uword eos, arma::uword max_len) {
    return tfm::greedy_decode(model, src, bos, eos, max_len);
}

void adam_step(arma::mat& theta, const arma::mat& grad, arma::mat& m, arma::mat& v,
               unsigned long long t, double lr, const tfm::AdamOptions& options) {
    arma::mat g = grad;
    tfm::Adam adam({{"theta", &theta, &g, false}}, options);
    adam.m[0] = m;
    adam.v[0] = v;
    adam.steps = t - 1;  // step() counts this one
    adam.step(lr);
    m = adam.m[0];
    v = adam.v[0];
}

}  // namespace ex
