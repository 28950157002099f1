// Cutting an image into patches: the step that turns a picture into a sequence of tokens
// (ViT, Dosovitskiy et al. 2021). An image [H × W] with patch side p (p divides H and W)
// becomes N = (H/p)·(W/p) patches of P = p·p pixels, one row each:
//   patches [N × P],  row r·(W/p) + c  = the patch in patch-row r, patch-column c
//                     (left to right, then top to bottom, as one reads),
//   column i·p + j    = pixel (i, j) inside the patch, also read row by row.
// The patches tile the image: every pixel lands in exactly one patch, so unpatchify puts
// them back and gets the image again, exactly. A batch of B images is B blocks of N rows.
#pragma once
#include <armadillo>

namespace tfm {

// InputError unless p ≥ 1 divides both sides of the image.
arma::mat patchify(const arma::mat& image, arma::uword patch);
// The inverse: patches [N × p·p] back into the image [rows × cols].
arma::mat unpatchify(const arma::mat& patches, arma::uword rows, arma::uword cols,
                     arma::uword patch);

}  // namespace tfm
