// A ViT's input rows: patches become tokens (Dosovitskiy et al. 2021, eq. 1).
//   E      = patches · proj.weightᵀ + proj.bias         [B·N × d_model]  (a Linear, P → d)
//   X_b    = [ cls_token ; E_b ] + pos_embed            [(N + 1) × d_model] per image b
// patches [B·N × P] (B images of N patches of P pixels, ops/patchify.hpp); the output is
// [B·(N + 1) × d_model], one sequence of N + 1 rows per image, the learned [CLS] row first.
// cls_token [d_model] and pos_embed [(N + 1) × d_model] are learned, drawn N(0, 1/d_model)
// like a token embedding (nn/embedding.hpp).
// Backward (adds): cls_token_grad += Σ_b dX_b[0], pos_embed_grad += Σ_b dX_b,
//   then the Linear's backward on the patch rows dX_b[1 …]; returns d(patches).
#pragma once
#include "core/params.hpp"
#include "nn/linear.hpp"

#include <armadillo>
#include <string>

namespace tfm {

class PatchEmbedding {
public:
    PatchEmbedding(arma::uword patch_pixels, arma::uword num_patches, arma::uword d_model);

    arma::mat forward(const arma::mat& patches, arma::uword images = 1);
    arma::mat backward(const arma::mat& dx);

    void zero_grad();
    // prefix + "proj.weight", "proj.bias", "cls_token", "pos_embed"
    void params(const std::string& prefix, ParamList& out);
    static void shapes(const std::string& prefix, arma::uword patch_pixels, arma::uword num_patches,
                       arma::uword d_model, ShapeList& out);

    arma::uword num_patches, d_model;
    Linear proj;
    arma::mat cls_token, cls_token_grad;  // [1 × d_model]
    arma::mat pos_embed, pos_embed_grad;  // [(N + 1) × d_model]

private:
    arma::uword images_ = 1;
};

}  // namespace tfm
