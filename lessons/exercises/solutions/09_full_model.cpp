// Reference solution for lesson 09: the course's greedy decoding (src/nn/transformer.hpp).
#include "exercises.hpp"

#include "nn/transformer.hpp"

namespace ex {

std::vector<tfm::DecodeStep> greedy_decode(tfm::Transformer& model, const tfm::TokenIds& src,
                                           arma::uword bos, arma::uword eos, arma::uword max_len) {
    return tfm::greedy_decode(model, src, bos, eos, max_len);
}

}  // namespace ex
