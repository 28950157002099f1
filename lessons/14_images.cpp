// Lesson 14 — images as tokens: a Vision Transformer read by lesson 06's encoder.
//
// Cut a 16 × 16 image into 4 × 4 patches, read them left to right and top to bottom, and it
// is a sequence of 16 rows of 16 numbers; one linear layer makes them rows of d_model, a
// learned [CLS] row and learned positions are added, and the same encoder as lesson 06
// reads them. The class comes from the [CLS] row. Trained here on digits drawn from a font.
//
//   build/lessons/14_images --digit 3 --index 12 --out out/14
//   build/lessons/14_images --train --save-dir my_models
#include "cli/options.hpp"
#include "core/error.hpp"
#include "core/i18n.hpp"
#include "course/lesson_14.hpp"
#include "draw/image_text.hpp"
#include "io/files.hpp"
#include "io/table.hpp"
#include "ops/patchify.hpp"

namespace {

using namespace tfm;
using namespace tfm::course;

constexpr unsigned kFeatures = cli::text;

struct Settings {
    cli::Common common;
    arma::uword digit = 7, index = 0, layer = 2;
    bool train = false;
    VitTraining training;
    std::string save_dir, checkpoint;
};

Settings read_settings(int argc, char** argv) {
    cli::Options options("14_images",
                         tr("Lesson 14: images as tokens — a Vision Transformer on digits drawn "
                            "here, read by lesson 06's encoder"));
    cli::Common defaults;  // the ViT's sizes, for the estimate of the sentence's run
    const VitConfig vit = digit_vit_config();
    defaults.d_model = vit.d_model;
    defaults.num_heads = vit.num_heads;
    defaults.d_ff = vit.d_ff;
    cli::add_common(options, kFeatures, defaults);
    auto add = options.add_options(tr("Lesson 14"));
    add("digit", tr("the held-out image to read: its digit"),
        cli::value<long>()->default_value("7")->range(0, 9), "D");
    add("index", tr("… and which of that digit's held-out images"),
        cli::value<long>()->default_value("0")->range(0, kHeldOutPerDigit - 1), "N");
    add("layer", tr("the layer whose [CLS] attention is drawn"),
        cli::value<long>()->default_value("2")->range(1, static_cast<long>(vit.layers)), "L");
    add("train", tr("train the ViT here (about a minute), then use it"));
    add("steps", tr("training steps (with --train)"),
        cli::value<long>()->default_value("1500")->range(1, 20000), "N");
    add("save-dir", tr("with --train: write the checkpoint into DIR"),
        cli::value<std::string>()->default_value(""), "DIR");
    add("checkpoint",
        tr("read the ViT from this file (one --train --save-dir wrote) instead of "
           "the shipped data/vit_digits.safetensors"),
        cli::value<std::string>()->default_value(""), "FILE.safetensors");
    options.examples({"build/lessons/14_images --digit 3 --index 12 --out out/14",
                      "build/lessons/14_images --train --save-dir my_models"},
                     "docs/14-images.md");
    const cli::ParseResult r = cli::parse(options, argc, argv);
    Settings s;
    s.common = cli::read_common(r, kFeatures, defaults);
    s.digit = cli::size_of(r, "digit");
    s.index = cli::size_of(r, "index");
    s.layer = cli::size_of(r, "layer");
    s.train = r.count("train") > 0;
    s.training.steps = cli::size_of(r, "steps");
    s.training.seed = s.common.seed;
    require(r.count("save-dir") == 0 || s.train,
            tr("--save-dir writes what --train trains: give both"));
    s.checkpoint = r["checkpoint"].as<std::string>();
    require(s.checkpoint.empty() || !s.train,
            tr("--checkpoint reads a trained ViT and --train trains one: give one of them"));
    if (r.count("save-dir") > 0)
        s.save_dir = cli::make_folder("--save-dir", r["save-dir"].as<std::string>());
    return s;
}

std::string percent(double x) { return printf_number(100 * x, "%.1f") + "%"; }

std::unique_ptr<Vit> get_model(const Settings& s, const DigitHeldOut& held_out, Printer& out) {
    if (!s.train) return load_vit(s.checkpoint.empty() ? data_path(kVitCheckpoint) : s.checkpoint);
    out.heading(tr("Training the ViT on generated digits"));
    std::fflush(stdout);
    auto model = std::make_unique<Vit>(digit_vit_config());
    draw_params(model->params(), s.common.seed);
    const VitTrainReport r = train_vit(*model, held_out, s.training, stderr);
    const std::string seconds = printf_number(r.seconds, "%.0f"),
                      loss = printf_number(r.final_loss, "%.3f");
    if (s.save_dir.empty())
        out.say(tr("{1} steps of {2} images each in {3} s; last loss {4} nats.", s.training.steps,
                   s.training.batch, seconds, loss));
    else
        out.say(tr("{1} steps of {2} images each in {3} s; last loss {4} nats. Wrote {5}.",
                   s.training.steps, s.training.batch, seconds, loss,
                   s.save_dir + "/" + kVitCheckpoint));
    if (!s.save_dir.empty()) save_vit(s.save_dir + "/" + kVitCheckpoint, *model, s.training);
    return model;
}

int lesson(int argc, char** argv) {
    const Settings s = read_settings(argc, argv);
    Printer out(s.common.print);
    const DigitHeldOut held_out = digit_held_out(kDigitHeldOutSeed, kHeldOutPerDigit);
    std::unique_ptr<Vit> model = get_model(s, held_out, out);
    const VitConfig& c = model->config;
    const DigitImage image = digit_image(held_out.ids[s.digit][s.index]);
    const arma::mat patches = patchify(image.pixels, c.patch);
    const arma::uword across = c.image_side / c.patch, n = c.num_patches();

    out.heading(tr("1. An image is a grid of numbers; its patches are a sequence"));
    // {3} is the stretch, "1.7 × 1.7" (x × y).
    out.say(
        tr("Held-out image {1} of the digit {2}: the font's glyph stretched {3}, slanted {4}, "
           "strokes +{5} of a cell, shifted, with noise. {6} × {6} pixels, 0 black … 1 "
           "white. Cut into {7} × {7} patches and read as one reads, it is {8} patches of "
           "{9} pixels: one row each.",
           s.index, s.digit,
           printf_number(image.style.scale_x, "%.1f") + " × " +
               printf_number(image.style.scale_y, "%.1f"),
           printf_number(image.style.shear, "%.2f"), printf_number(image.style.stroke, "%.2f"),
           c.image_side, c.patch, n, c.patch_pixels()));
    const Labels pixel_axes{{}, {}, tr("y (pixel row)"), tr("x (pixel column)")};
    out.draw("image", image.pixels, pixel_axes, tr("the digit {1}", image.label));
    out.block(side_by_side({image_lines(image.pixels), image_lines(image.pixels, c.patch)},
                           {"image [16 × 16]", tr("cut into patches p0 … p15, row by row")}));
    std::vector<std::string> patch_names = {"[CLS]"};
    for (arma::uword p = 0; p < n; ++p) patch_names.push_back("p" + std::to_string(p));
    out.tensor("patches", patches,
               {{patch_names.begin() + 1, patch_names.end()}, {}, tr("patch"), tr("pixel")},
               tr("row 4r + c: the patch at patch-row r, column c; pixel (i, j) in column 4i + j"),
               Shade::weights);

    out.heading(tr("2. The patch embedding: the same shape as a sentence"));
    const arma::rowvec probs = class_probabilities(*model, image.pixels);
    out.say(
        tr("One linear layer maps each patch's 16 pixels to d_model = {1} numbers; a learned "
           "[CLS] row goes in front and a learned position row is added to each. {2} rows of "
           "{1}: a 17-token sentence has this shape, and what reads it is lesson 06's encoder "
           "({3} pre-LN layers, {4} heads, GELU), unchanged.",
           c.d_model, n + 1, c.layers, c.num_heads));
    out.tensor("X", model->tokens_, {patch_names, {}, tr("token"), tr("feature")},
               "X = [CLS ; patches · Wᵀ + b] + pos", Shade::signed_values);

    out.heading(tr("3. Where the [CLS] row looks"));
    const arma::uword layer = s.layer - 1;
    out.say(
        tr("The class is read from the [CLS] row alone, so its attention is where the answer "
           "comes from. Layer {1}'s [CLS] weights over the patches, per head, multiplied into the "
           "image (bright: ink in a patch the head looks at):",
           s.layer));
    std::vector<std::vector<std::string>> panels = {image_lines(image.pixels)};
    std::vector<std::string> titles = {"image"};
    std::vector<arma::rowvec> rows;
    for (arma::uword h = 0; h < c.num_heads; ++h) {
        rows.push_back(model->cls_attention(layer, h));
        const std::string name = "overlay.head" + std::to_string(h);
        const arma::mat overlay = attention_overlay(image.pixels, rows.back(), c.patch);
        out.draw(name, overlay, pixel_axes, tr("pixel × its patch's [CLS] weight / the largest"));
        panels.push_back(image_lines(overlay));
        titles.push_back(name + " [16 × 16]");
    }
    out.block(side_by_side(panels, titles, 2));
    for (arma::uword h = 0; h < c.num_heads; ++h)
        out.tensor("cls_attention.head" + std::to_string(h), patch_grid_weights(rows[h], across),
                   {{}, {}, tr("patch-row"), tr("patch-column")},
                   tr("on the patches; on [CLS] itself {1}", percent(rows[h](0))), Shade::weights);
    out.say(heads_sentence(rows));

    out.heading(tr("4. The answer"));
    std::vector<std::string> digits;
    for (arma::uword d = 0; d < c.classes; ++d) digits.push_back(std::to_string(d));
    out.vector("output", probs, digits, "p(class) = softmax(H[CLS] · headᵀ + b)");
    const VitAccuracy a = held_out_accuracy(*model, held_out);
    std::string per_digit;
    for (arma::uword d = 0; d < c.classes; ++d)
        per_digit += (d == 0 ? "" : ", ") + std::to_string(d) + ": " +
                     std::to_string(a.right_by_digit(d)) + "/" +
                     std::to_string(a.total_by_digit(d));
    const arma::uword predicted = probs.index_max();
    const std::string p_max = printf_number(probs.max(), "%.4f"), rate = percent(a.rate());
    if (s.train)
        out.say(
            tr("Predicted {1} (p = {2}) for an image of a {3}. On all {4} held-out images, "
               "none of them trained on, this model is right on {5} ({6}); by digit {7}.",
               predicted, p_max, image.label, a.total, a.right, rate, per_digit));
    else if (s.checkpoint.empty())
        out.say(
            tr("Predicted {1} (p = {2}) for an image of a {3}. On all {4} held-out images, "
               "none of them trained on, the shipped model is right on {5} ({6}); by digit "
               "{7}.",
               predicted, p_max, image.label, a.total, a.right, rate, per_digit));
    else
        out.say(
            tr("Predicted {1} (p = {2}) for an image of a {3}. On all {4} held-out images, "
               "none of them trained on, this checkpoint is right on {5} ({6}); by digit "
               "{7}.",
               predicted, p_max, image.label, a.total, a.right, rate, per_digit));

    out.heading(tr("5. A sentence and an image through the same weights"));
    const SentenceRows sentence = sentence_rows(s.common.text, c.d_model, s.common.seed);
    const SideBySide both = read_side_by_side(*model, image.pixels, sentence.x);
    out.say(
        tr("Lesson 01's rows for \"{1}\" at d_model {2} (E[ids]·√d + PE) go through the "
           "very same encoder. It never saw a word, so what it makes of them means nothing; "
           "but it takes them as they are, since all it reads is rows of {2} numbers.",
           s.common.text, c.d_model));
    out.tensor("text_X", sentence.x, {sentence.tokens, {}, "token", "feature"},
               tr("lesson 01's X at --d-model {1}", c.d_model), Shade::signed_values);
    out.table({tr("input"), tr("rows in"), tr("encoder out")},
              {{tr("the image ([CLS] + patches)"), shape_of(both.image_x), shape_of(both.image_h)},
               {tr("the sentence"), shape_of(sentence.x), shape_of(both.text_h)},
               {tr("both, as one sequence"), shape_of(both.image_h) + " + " + shape_of(sentence.x),
                shape_of(both.joint_h)}});
    std::string shares;
    for (arma::uword h = 0; h < c.num_heads; ++h)
        shares = h == 0 ? tr("{1} (head {2})", percent(both.words_share(h)), h)
                        : tr("{1} and {2} (head {3})", shares, percent(both.words_share(h)), h);
    out.say(
        tr("As one sequence, the [CLS] row gives the words {1} of its layer-{2} attention, and "
           "the answer goes from {3} (p = {4}) to {5} (p = {6}).",
           shares, c.layers, both.alone.index_max(), printf_number(both.alone.max(), "%.4f"),
           both.joint.index_max(), printf_number(both.joint.max(), "%.4f")));

    out.heading(tr("6. What the article's §4 claim comes to"));
    out.say(
        tr("Multi-head attention does not by itself make a model multimodal: the token "
           "interface does, since anything cut into rows of d_model numbers (words, patches "
           "of an image, frames of sound) can be attended over, as this encoder attends over "
           "patches and words alike. Several heads let different heads follow different "
           "relations; section 3 measures how far this model's two heads do."));
    return 0;
}

}  // namespace

int main(int argc, char** argv) { return tfm::cli::guarded_main(argc, argv, lesson); }
