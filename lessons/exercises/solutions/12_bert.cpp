// Reference solution for lesson 12: the course's masking recipe (src/train/mlm.hpp).
#include "exercises.hpp"

namespace ex {

tfm::MaskedExample mlm_masking(const tfm::TokenIds& ids, const arma::mat& u, arma::uword V) {
    return tfm::mask_tokens(ids, u, V);
}

}  // namespace ex
