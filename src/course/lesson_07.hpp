// Lesson 07's experiment beyond the layers: causality, measured on the learner's decoder.
#pragma once
#include "nn/decoder.hpp"

namespace tfm::course {

// Causality, measured: runs a copy of `decoder` (its caches stay as they were) on y and on
// y_changed, which differ from row `first_changed` on, with the causal mask, and returns
// the largest |difference| of the output rows before first_changed (exactly 0 for a
// causal decoder) and from it on.
struct CausalityGap {
    double earlier_rows, later_rows;
};
CausalityGap measure_causality(Decoder decoder, const arma::mat& y, const arma::mat& y_changed,
                               const arma::mat& memory, arma::uword first_changed);

}  // namespace tfm::course
