#include "course/lesson_07.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"

namespace tfm::course {

CausalityGap measure_causality(Decoder decoder, const arma::mat& y, const arma::mat& y_changed,
                               const arma::mat& memory, arma::uword first_changed) {
    require(
        first_changed >= 1 && first_changed < y.n_rows && arma::size(y) == arma::size(y_changed),
        tr("measure_causality needs two inputs of one shape and a changed row after the first"));
    const Mask causal = causal_mask(y.n_rows);
    const arma::mat before = decoder.forward(y, memory, causal);
    const arma::mat after = decoder.forward(y_changed, memory, causal);
    const arma::mat gap = arma::abs(after - before);
    return {gap.rows(0, first_changed - 1).max(), gap.rows(first_changed, gap.n_rows - 1).max()};
}

}  // namespace tfm::course
