#include "model/vit.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "ops/patchify.hpp"

namespace tfm {

LayerConfig VitConfig::layer_config() const {
    LayerConfig c;
    c.d_model = d_model;
    c.num_heads = num_heads;
    c.d_ff = d_ff;
    c.activation = Activation::gelu;
    c.norm_first = true;
    c.validate();
    return c;
}

void VitConfig::validate() const {
    require(patch >= 1 && image_side % patch == 0, [&] {
        return tr("patches of {1} pixels do not tile an image of {2}", patch, image_side);
    });
    require(layers >= 1 && classes >= 2, [&] { return tr("a ViT needs a layer and two classes"); });
    layer_config();
}

Vit::Vit(const VitConfig& c)
    : config((c.validate(), c)),
      patch_embed(c.patch_pixels(), c.num_patches(), c.d_model),
      encoder(c.layer_config(), c.layers),
      head(c.d_model, c.classes) {}

arma::mat Vit::forward(const arma::mat& patches, arma::uword images) {
    tokens_ = patch_embed.forward(patches, images);
    hidden_ = encoder.forward(tokens_, {}, images);
    return head.forward(hidden_, images);
}

arma::mat Vit::forward_images(const std::vector<arma::mat>& images) {
    require(!images.empty(), [&] { return tr("no images"); });
    arma::mat patches(images.size() * config.num_patches(), config.patch_pixels());
    for (std::size_t b = 0; b < images.size(); ++b) {
        require(images[b].n_rows == config.image_side && images[b].n_cols == config.image_side,
                [&] {
                    return tr("an image of {1} × {2} pixels; the model reads {3} × {3}",
                              images[b].n_rows, images[b].n_cols, config.image_side);
                });
        patches.rows(b * config.num_patches(), (b + 1) * config.num_patches() - 1) =
            patchify(images[b], config.patch);
    }
    return forward(patches, images.size());
}

arma::mat Vit::backward(const arma::mat& dlogits) {
    return patch_embed.backward(encoder.backward(head.backward(dlogits)));
}

arma::mat Vit::encode(const arma::mat& rows) {
    require(rows.n_cols == config.d_model, [&] {
        return tr("the encoder reads rows of {1} numbers, not {2}", config.d_model, rows.n_cols);
    });
    return encoder.forward(rows);
}

void Vit::zero_grad() {
    patch_embed.zero_grad();
    encoder.zero_grad();
    head.zero_grad();
}

ParamList Vit::params() {
    ParamList out;
    patch_embed.params("patch_embed.", out);
    encoder.params("encoder.", out);
    head.params("head.", out);
    return out;
}

ShapeList Vit::shapes(const VitConfig& c) {
    ShapeList out;
    PatchEmbedding::shapes("patch_embed.", c.patch_pixels(), c.num_patches(), c.d_model, out);
    Encoder::shapes("encoder.", c.layer_config(), c.layers, out);
    ClassHead::shapes("head.", c.d_model, c.classes, out);
    return out;
}

arma::rowvec Vit::cls_attention(arma::uword layer, arma::uword head_index,
                                arma::uword image) const {
    require(layer < encoder.layers.size() && head_index < config.num_heads,
            [&] { return tr("no layer {1}, head {2}", layer, head_index); });
    const MultiHeadAttention& a = encoder.layers[layer].self_attn;
    const arma::uword k = image * config.num_heads + head_index;
    require(k < a.heads_.size(), [&] { return tr("no image {1} in the last forward", image); });
    return a.heads_[k].weights.row(0);
}

}  // namespace tfm
