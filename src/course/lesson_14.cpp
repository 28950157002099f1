#include "course/lesson_14.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "io/safetensors.hpp"
#include "io/table.hpp"
#include "nn/embedding.hpp"
#include "nn/positional_encoding.hpp"
#include "ops/patchify.hpp"
#include "ops/softmax.hpp"
#include "text/tokenizer.hpp"
#include "train/adam.hpp"
#include "train/batch_parts.hpp"
#include "train/cross_entropy.hpp"
#include "train/schedule.hpp"

#include <algorithm>
#include <chrono>

namespace tfm::course {

VitConfig digit_vit_config() { return VitConfig{}; }

arma::mat patches_of(const std::vector<DigitImage>& images, arma::uword patch) {
    require(!images.empty(), tr("no images"));
    const arma::mat first = patchify(images.front().pixels, patch);
    arma::mat out(images.size() * first.n_rows, first.n_cols);
    for (std::size_t b = 0; b < images.size(); ++b)
        out.rows(b * first.n_rows, (b + 1) * first.n_rows - 1) = patchify(images[b].pixels, patch);
    return out;
}

namespace {

TokenIds labels_of(const std::vector<DigitImage>& images) {
    TokenIds labels;
    for (const DigitImage& image : images) labels.push_back(image.label);
    return labels;
}

}  // namespace

CrossEntropy vit_loss(Vit& model, const std::vector<DigitImage>& images) {
    // ignore_id = classes: no label is ignored.
    return cross_entropy(model.forward(patches_of(images, model.config.patch), images.size()),
                         labels_of(images), model.config.classes);
}

VitTrainReport train_vit(Vit& model, const DigitHeldOut& held_out, const VitTraining& training,
                         std::FILE* progress) {
    using Clock = std::chrono::steady_clock;
    const Clock::time_point start = Clock::now();
    const ParamList params = model.params();
    Adam adam(params);
    DigitStream stream(training.seed, held_out);
    const arma::uword every = std::max<arma::uword>(1, training.steps / 10);
    double recent = 0, recent_count = 0, window = 0, window_count = 0;
    VitTrainReport report;
    BatchParts<Vit> parts(model, training.parts, training.seed);
    for (arma::uword step = 1; step <= training.steps; ++step) {
        std::vector<DigitImage> batch;
        while (batch.size() < training.batch) batch.push_back(digit_image(stream.next()));
        model.zero_grad();
        const StepLoss ce = parts.step(batch, 0.0, vit_loss);
        clip_grad_norm(params, training.clip_norm);
        adam.step(linear_warmup_decay_rate(step, training.steps, training.warmup, training.lr));
        window += ce.total;
        window_count += static_cast<double>(ce.count);
        if (step > training.steps - every) {
            recent += ce.total;
            recent_count += static_cast<double>(ce.count);
        }
        if (progress != nullptr && (step % every == 0 || step == training.steps)) {
            const double accuracy = held_out_accuracy(model, held_out).rate();
            const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
            char step_text[32];
            std::snprintf(step_text, sizeof step_text, "%5llu",
                          static_cast<unsigned long long>(step));
            const std::string line =
                tr("vit step {1}/{2}  loss {3}  held-out {4}  {5} s", step_text, training.steps,
                   printf_number(window / window_count, "%.3f"),
                   printf_number(100 * accuracy, "%.1f") + "%", printf_number(seconds, "%.0f"));
            std::fprintf(progress, "%s\n", line.c_str());
            std::fflush(progress);
            window = window_count = 0;
        }
    }
    report.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    report.final_loss = recent_count > 0 ? recent / recent_count : 0.0;
    return report;
}

VitAccuracy held_out_accuracy(Vit& model, const DigitHeldOut& held_out) {
    VitAccuracy a;
    for (arma::uword d = 0; d < held_out.ids.size(); ++d) {
        if (held_out.ids[d].empty()) continue;
        std::vector<DigitImage> images;
        for (std::uint64_t id : held_out.ids[d]) images.push_back(digit_image(id));
        const arma::mat logits =
            model.forward(patches_of(images, model.config.patch), images.size());
        for (std::size_t b = 0; b < images.size(); ++b) {
            const bool right = logits.row(b).index_max() == images[b].label;
            a.right += right ? 1 : 0;
            a.right_by_digit(images[b].label) += right ? 1 : 0;
            a.total_by_digit(images[b].label) += 1;
            a.total += 1;
        }
    }
    return a;
}

arma::rowvec class_probabilities(Vit& model, const arma::mat& image) {
    return softmax_rows(model.forward_images({image}));
}

namespace {

Metadata vit_metadata(const VitConfig& c) {
    return {{"lesson", "14_images"},
            {"task", "digits"},
            {"image_side", std::to_string(c.image_side)},
            {"patch", std::to_string(c.patch)},
            {"d_model", std::to_string(c.d_model)},
            {"num_heads", std::to_string(c.num_heads)},
            {"d_ff", std::to_string(c.d_ff)},
            {"layers", std::to_string(c.layers)},
            {"classes", std::to_string(c.classes)}};
}

}  // namespace

void save_vit(const std::string& path, Vit& model, const VitTraining& training) {
    Metadata m = vit_metadata(model.config);
    m["norm"] = "pre-LN";
    m["activation"] = "gelu";
    m["steps"] = std::to_string(training.steps);
    m["batch"] = std::to_string(training.batch);
    m["seed"] = std::to_string(training.seed);
    save_params(path, model.params(), m);
}

std::unique_ptr<Vit> load_vit(const std::string& path) {
    const Metadata m = read_safetensors_metadata(path);
    const VitConfig config = digit_vit_config();
    for (const auto& [key, value] : vit_metadata(config)) {
        const auto it = m.find(key);
        require(it != m.end() && it->second == value,
                tr("{1}: not lesson 14's ViT (its {2} is '{3}', expected '{4}')", path, key,
                   it == m.end() ? std::string() : it->second, value));
    }
    auto model = std::make_unique<Vit>(config);
    load_params(path, model->params());
    return model;
}

arma::mat patch_grid_weights(const arma::rowvec& cls_attention, arma::uword across) {
    require(across > 0 && cls_attention.n_elem == across * across + 1,
            tr("the [CLS] row must have a weight for itself and for each patch"));
    arma::mat grid(across, across);
    for (arma::uword r = 0; r < across; ++r)
        for (arma::uword c = 0; c < across; ++c) grid(r, c) = cls_attention(1 + r * across + c);
    return grid;
}

arma::mat attention_overlay(const arma::mat& image, const arma::rowvec& cls_attention,
                            arma::uword patch) {
    const arma::uword across = image.n_cols / patch;
    const arma::mat grid = patch_grid_weights(cls_attention, across);
    const double top = grid.max();
    arma::mat overlay = image;
    for (arma::uword y = 0; y < image.n_rows; ++y)
        for (arma::uword x = 0; x < image.n_cols; ++x)
            overlay(y, x) *= top > 0 ? grid(y / patch, x / patch) / top : 0.0;
    return overlay;
}

double shared_attention(const arma::rowvec& a, const arma::rowvec& b) {
    require(a.n_elem == b.n_elem, tr("two attention rows of different lengths"));
    return arma::accu(arma::min(a, b));
}

std::string heads_sentence(const std::vector<arma::rowvec>& cls_rows) {
    require(cls_rows.size() >= 2, tr("two heads to compare"));
    const auto percent = [](double x) { return printf_number(100 * x, "%.1f") + "%"; };
    std::string s;
    for (std::size_t h = 0; h < cls_rows.size(); ++h) {
        const arma::rowvec& a = cls_rows[h];
        const arma::uword top = a.cols(1, a.n_elem - 1).index_max();
        const std::string patch = "p" + std::to_string(top), share = percent(a(1 + top));
        s = h == 0 ? tr("Head {1} looks most at {2} ({3})", h, patch, share)
                   : tr("{1}, head {2} looks most at {3} ({4})", s, h, patch, share);
    }
    const double shared = shared_attention(cls_rows[0], cls_rows[1]);
    if (shared < 0.6)
        return tr(
            "{1}; heads 0 and 1 share {2} of their attention (Σ min): they follow "
            "different parts of the digit.",
            s, percent(shared));
    return tr(
        "{1}; heads 0 and 1 share {2} of their attention (Σ min): here they look at "
        "much the same patches.",
        s, percent(shared));
}

SentenceRows sentence_rows(const std::string& text, arma::uword d_model, std::uint64_t seed) {
    require_utf8("the sentence", text);
    SentenceRows s;
    s.tokens = tokenize_words(text);
    require(!s.tokens.empty(), tr("the sentence has no words"));
    const Vocab vocab = Vocab::lesson_default();
    Embedding embed(vocab.size(), d_model);
    ParamList params;
    embed.params("embed.", params);
    draw_params(params, seed, {{"embed.", "src_embed."}});  // lesson 01's E
    s.x = add_positions(embed.forward(vocab.encode(s.tokens)));
    return s;
}

SideBySide read_side_by_side(Vit& model, const arma::mat& image, const arma::mat& text_x) {
    SideBySide r;
    r.alone = class_probabilities(model, image);
    r.image_x = model.tokens_;
    r.image_h = model.hidden_;
    r.text_h = model.encode(text_x);
    const arma::mat joint = arma::join_cols(r.image_x, text_x);
    r.joint_h = model.encode(joint);
    const arma::uword n = r.image_x.n_rows, heads = model.config.num_heads;
    const MultiHeadAttention& last = model.encoder.layers.back().self_attn;
    r.words_share.set_size(heads);
    for (arma::uword j = 0; j < heads; ++j)
        r.words_share(j) = arma::accu(last.heads_[j].weights.row(0).cols(n, joint.n_rows - 1));
    r.joint = softmax_rows(model.head.forward(r.joint_h, 1));
    return r;
}

}  // namespace tfm::course
