// The model the encoder and decoder layer tests build: d_model 8, 2 heads, d_ff 12, and
// `layers` layers in each stack — small enough to check every parameter by finite
// differences, large enough for two heads and a hidden layer wider than the model.
#pragma once
#include "model/config.hpp"

namespace tfm::test {

ModelConfig small_stack_config(bool norm_first, Activation activation, arma::uword layers = 1);

}  // namespace tfm::test
