// The sizes of one encoder or decoder layer: what every layer of a stack shares.
// model::ModelConfig holds one (as its base) together with the model's depths and
// vocabularies; the layers and stacks of nn/ read only this.
#pragma once
#include "ops/activation.hpp"

#include <armadillo>

namespace tfm {

struct LayerConfig {
    arma::uword d_model = 8;
    arma::uword num_heads = 2;
    arma::uword d_ff = 32;
    Activation activation = Activation::relu;
    bool norm_first = false;  // pre-LN (GPT-2) instead of the 2017 paper's post-LN
    // A decoder layer's cross-attention on the encoder's memory. false: GPT's block,
    // masked self-attention and the FFN only (a decoder-only model has no memory).
    bool cross_attention = true;

    arma::uword d_k() const { return d_model / num_heads; }
    void validate() const;  // InputError on impossible sizes
};

}  // namespace tfm
