// Lesson 14's own pieces: the small ViT (model/vit.hpp) trained on the generated digits
// (train/digit_images.hpp), its training, its checkpoint, its held-out accuracy, and the
// measurements the lesson prints: the [CLS] row's attention laid over the image, how much
// two heads agree, and a sentence read by the same encoder beside the image.
#pragma once
#include "model/vit.hpp"
#include "train/cross_entropy.hpp"
#include "train/digit_images.hpp"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace tfm::course {

// The lesson's model: 16 × 16 images, 4 × 4 patches (16 patches of 16 pixels), d_model 32,
// 2 heads, d_ff 64, 2 pre-LN layers, 10 classes.
VitConfig digit_vit_config();

struct VitTraining {
    arma::uword steps = 1500, batch = 64, warmup = 100;
    double lr = 3e-3, clip_norm = 1.0;
    std::uint64_t seed = 42;
    arma::uword parts = 2;  // each batch cut into parts on the cores (train/batch_parts.hpp)
};
struct VitTrainReport {
    double seconds = 0, final_loss = 0;  // mean cross-entropy (nats) over the last tenth
};
// The summed cross-entropy of the images' [CLS] logits against their labels, its count and
// dlogits.
CrossEntropy vit_loss(Vit& model, const std::vector<DigitImage>& images);

// Each step: `batch` images from DigitStream(seed) (never a held-out one), Adam with linear
// warm-up then linear decay to 0, gradient clipping. Progress: ten plain lines to
// `progress` when not null (step, loss, held-out accuracy, seconds).
VitTrainReport train_vit(Vit& model, const DigitHeldOut& held_out, const VitTraining& training,
                         std::FILE* progress);

// The patches of B images stacked [B·N × P], and their labels.
arma::mat patches_of(const std::vector<DigitImage>& images, arma::uword patch);

// Right answers over the held-out images, overall and per digit.
struct VitAccuracy {
    arma::uword right = 0, total = 0;
    arma::uvec right_by_digit = arma::uvec(kDigitClasses, arma::fill::zeros);
    arma::uvec total_by_digit = arma::uvec(kDigitClasses, arma::fill::zeros);
    double rate() const { return total ? static_cast<double>(right) / total : 0.0; }
};
VitAccuracy held_out_accuracy(Vit& model, const DigitHeldOut& held_out);

// softmax of the logits of one image [1 × classes] (the model's last forward is that image).
arma::rowvec class_probabilities(Vit& model, const arma::mat& image);

// The checkpoint data/vit_digits.safetensors: the metadata names the lesson, the sizes and
// the training; loading checks them and every tensor.
constexpr const char* kVitCheckpoint = "vit_digits.safetensors";
void save_vit(const std::string& path, Vit& model, const VitTraining& training);
std::unique_ptr<Vit> load_vit(const std::string& path);

// The [CLS] row's weights on the N patches (its own weight left out), laid out as the patch
// grid [16/p × 16/p].
arma::mat patch_grid_weights(const arma::rowvec& cls_attention, arma::uword across);
// The image with each pixel scaled by its patch's weight over the largest patch weight:
// bright where there is ink and the head looks [16 × 16].
arma::mat attention_overlay(const arma::mat& image, const arma::rowvec& cls_attention,
                            arma::uword patch);
// Σ_i min(a_i, b_i): the attention two heads share (1: the same, 0: disjoint).
double shared_attention(const arma::rowvec& a, const arma::rowvec& b);

// What the heads' [CLS] rows show, written from their numbers: each head's most attended
// patch and the share two heads have in common (different relations below 60%).
std::string heads_sentence(const std::vector<arma::rowvec>& cls_rows);

// A sentence as lesson 01 makes its rows: tokens of data/vocab.txt, E drawn by its name
// (src_embed.weight) from seed at width d_model, X = E[ids]·√d_model + PE [n × d_model].
struct SentenceRows {
    std::vector<std::string> tokens;
    arma::mat x;
};
SentenceRows sentence_rows(const std::string& text, arma::uword d_model, std::uint64_t seed);

// One image and one sentence through the same encoder, apart and as one sequence (the
// image's N + 1 rows, then the sentence's): the shapes, the share of the [CLS] row's
// attention that goes to the words in the joint sequence (per head, last layer), and the
// class probabilities from the [CLS] row alone and with the words beside it.
struct SideBySide {
    arma::mat image_x, image_h, text_h, joint_h;
    arma::rowvec words_share;   // [heads]
    arma::rowvec alone, joint;  // [classes]
};
SideBySide read_side_by_side(Vit& model, const arma::mat& image, const arma::mat& text_x);

}  // namespace tfm::course
