// A Vision Transformer (Dosovitskiy et al. 2021) made of the course's own parts:
//   patches  = patchify(image, p)                 [N × P]  (ops/patchify.hpp; N = (16/p)², P = p²)
//   X        = [CLS ; patches · Wᵀ + b] + pos     [(N + 1) × d_model]  (nn/patch_embedding.hpp)
//   H        = Encoder(X)                         [(N + 1) × d_model]  (lesson 06's stack, pre-LN,
//                                                  GELU, with its final LayerNorm)
//   logits   = H[0] · headᵀ + head_b              [classes]            (nn/class_head.hpp)
// A batch of B images is B sequences of N + 1 rows stacked, as a batch of sentences is.
// Parameter names: patch_embed.{proj.weight, proj.bias, cls_token, pos_embed},
// encoder.layers.{i}.…, encoder.norm.…, head.{weight, bias}.
#pragma once
#include "core/params.hpp"
#include "nn/class_head.hpp"
#include "nn/encoder.hpp"
#include "nn/patch_embedding.hpp"

#include <armadillo>
#include <string>
#include <vector>

namespace tfm {

struct VitConfig {
    arma::uword image_side = 16, patch = 4;
    arma::uword d_model = 32, num_heads = 2, d_ff = 64, layers = 2;
    arma::uword classes = 10;

    arma::uword num_patches() const { return (image_side / patch) * (image_side / patch); }
    arma::uword patch_pixels() const { return patch * patch; }
    LayerConfig layer_config() const;  // pre-LN, GELU; InputError on impossible sizes
    void validate() const;
};

class Vit {
public:
    explicit Vit(const VitConfig& config);

    // patches of B images stacked [B·N × P] → logits [B × classes].
    arma::mat forward(const arma::mat& patches, arma::uword images = 1);
    // B square images [16 × 16] each → logits [B × classes].
    arma::mat forward_images(const std::vector<arma::mat>& images);
    // dL/dlogits → dL/dpatches [B·N × P]; adds into every parameter's gradient.
    arma::mat backward(const arma::mat& dlogits);

    // The encoder alone on any rows [n × d_model] (one sequence): the rows need not come
    // from an image.
    arma::mat encode(const arma::mat& rows);

    void zero_grad();
    ParamList params();
    static ShapeList shapes(const VitConfig& config);

    // Row 0 of head j's attention weights in layer l, for image b of the last forward: how
    // the [CLS] row spread its attention over itself and the N patches [1 × (N + 1)].
    arma::rowvec cls_attention(arma::uword layer, arma::uword head, arma::uword image = 0) const;

    VitConfig config;
    PatchEmbedding patch_embed;
    Encoder encoder;
    ClassHead head;

    arma::mat tokens_;  // X of the last forward [B·(N + 1) × d_model]
    arma::mat hidden_;  // H of the last forward
};

}  // namespace tfm
