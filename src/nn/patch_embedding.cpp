#include "nn/patch_embedding.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/random.hpp"
#include "core/shape.hpp"
#include "nn/embedding.hpp"

namespace tfm {

PatchEmbedding::PatchEmbedding(arma::uword patch_pixels, arma::uword num_patches,
                               arma::uword d_model)
    : num_patches(num_patches),
      d_model(d_model),
      proj(patch_pixels, d_model),
      cls_token(normal(1, d_model, Embedding::stddev(d_model))),
      cls_token_grad(1, d_model, arma::fill::zeros),
      pos_embed(normal(num_patches + 1, d_model, Embedding::stddev(d_model))),
      pos_embed_grad(num_patches + 1, d_model, arma::fill::zeros) {
    require(num_patches > 0, [&] { return tr("an image needs at least one patch"); });
}

arma::mat PatchEmbedding::forward(const arma::mat& patches, arma::uword images) {
    require(images > 0 && patches.n_rows == images * num_patches, [&] {
        return tr("{1} patch rows are not {2} images of {3} patches", patches.n_rows, images,
                  num_patches);
    });
    images_ = images;
    const arma::mat e = proj.forward(patches);
    const arma::uword n = num_patches + 1;
    arma::mat x(images * n, d_model);
    for (arma::uword b = 0; b < images; ++b) {
        x.row(b * n) = cls_token;
        x.rows(b * n + 1, b * n + num_patches) = e.rows(b * num_patches, (b + 1) * num_patches - 1);
        x.rows(b * n, b * n + num_patches) += pos_embed;
    }
    return x;
}

arma::mat PatchEmbedding::backward(const arma::mat& dx) {
    const arma::uword n = num_patches + 1;
    require(dx.n_rows == images_ * n && dx.n_cols == d_model, [&] {
        return tr("patch embedding backward: dx must be {1}", shape_string(images_ * n, d_model));
    });
    arma::mat de(images_ * num_patches, d_model);
    for (arma::uword b = 0; b < images_; ++b) {
        // Every image added the same [CLS] row and the same position rows.
        cls_token_grad += dx.row(b * n);
        pos_embed_grad += dx.rows(b * n, b * n + num_patches);
        de.rows(b * num_patches, (b + 1) * num_patches - 1) =
            dx.rows(b * n + 1, b * n + num_patches);
    }
    return proj.backward(de);
}

void PatchEmbedding::zero_grad() {
    proj.zero_grad();
    cls_token_grad.zeros();
    pos_embed_grad.zeros();
}

void PatchEmbedding::params(const std::string& prefix, ParamList& out) {
    proj.params(prefix + "proj.", out);
    const Init init{Init::normal, Embedding::stddev(d_model)};
    out.push_back({prefix + "cls_token", &cls_token, &cls_token_grad, true, init});
    out.push_back({prefix + "pos_embed", &pos_embed, &pos_embed_grad, false, init});
}

void PatchEmbedding::shapes(const std::string& prefix, arma::uword patch_pixels,
                            arma::uword num_patches, arma::uword d_model, ShapeList& out) {
    Linear::shapes(prefix + "proj.", patch_pixels, d_model, out);
    out.push_back({prefix + "cls_token", {d_model}});
    out.push_back({prefix + "pos_embed", {num_patches + 1, d_model}});
}

}  // namespace tfm
