// Lesson 05's own checks: the FFN is position-wise (a row pushed through alone gives the
// same numbers), and LayerNorm leaves every row with mean 0 and variance var/(var + eps).
#pragma once
#include "io/table.hpp"

#include <armadillo>
#include <string>

namespace tfm {
class FeedForward;  // nn/feed_forward.hpp
class LayerNorm;    // nn/layer_norm.hpp
}  // namespace tfm

namespace tfm::course {

// Row `row` of `input` pushed through the FFN by itself, and how far it and every other
// row computed alone are from `output`.
struct RowAloneCheck {
    arma::mat row_alone;  // [1 × d_model]
    TextTable table;      // check | value: that row, then the worst row
    bool exact = true;    // every row alone gave exactly the same numbers
};
RowAloneCheck ffn_row_alone(const FeedForward& ffn, const arma::mat& input, const arma::mat& output,
                            arma::uword row, const std::string& row_name);

// After LayerNorm (weight 1, bias 0) every row has mean 0 and variance var/(var + eps),
// var being the row's variance before. check | value.
TextTable layer_norm_check_table(const LayerNorm& norm, const arma::mat& before,
                                 const arma::mat& after);

}  // namespace tfm::course
