// Lesson 14's data: small grey-scale images of the digits 0–9, drawn here from a 5 × 7
// bitmap font, so that nothing is downloaded. Each image is a function of one 64-bit id
// (its label is id mod 10): the glyph is stretched (1.6–2.1 pixels per font cell across,
// 1.6–2.0 down), slanted (shear ±0.25), its strokes thickened (0–0.4 of a cell), shifted
// to a random place where it still fits, drawn with 3 × 3 samples per pixel (soft edges),
// at a random ink level (0.75–1), and covered with Gaussian noise (σ 0.08), clipped to
// [0, 1]. 0 is black (background), 1 white (ink). The draws come from NamedGenerator, so
// an id gives the same image with every standard library.
//
// The held-out set is a fixed list of ids (kHeldOutPerDigit of each digit, from their own
// seed); training draws ids from its own seed and skips any held-out one, so the two never
// share an image.
#pragma once
#include "core/random.hpp"

#include <armadillo>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

namespace tfm {

constexpr arma::uword kImageSide = 16;  // images are 16 × 16
constexpr arma::uword kDigitClasses = 10;
constexpr arma::uword kFontRows = 7, kFontCols = 5;

// The font: 7 strings of 5 characters per digit, '#' for ink.
const std::vector<std::string>& digit_glyph(arma::uword digit);

// How one image was drawn (from its id).
struct DigitStyle {
    double scale_x, scale_y;    // pixels per font cell
    double shear;               // font cells across per cell down, about the glyph's middle
    double stroke;              // thickening, in font cells
    double offset_x, offset_y;  // where the glyph's top-left corner lands, in pixels
    double ink;                 // brightness of the strokes
    double noise;               // σ of the noise
};

struct DigitImage {
    std::uint64_t id = 0;
    arma::uword label = 0;  // id mod 10
    DigitStyle style{};
    arma::mat pixels;  // [16 × 16], values in [0, 1]
};

DigitImage digit_image(std::uint64_t id);
// 64 random bits made into an id of `digit`: the last decimal digit replaced.
std::uint64_t id_with_label(std::uint64_t raw, arma::uword digit);

// The held-out images: per_digit of each digit, by digit (ids[d][i]), from their seed.
struct DigitHeldOut {
    std::vector<std::vector<std::uint64_t>> ids;  // [10][per_digit]
    std::unordered_set<std::uint64_t> all;
    bool contains(std::uint64_t id) const { return all.count(id) > 0; }
    arma::uword size() const { return static_cast<arma::uword>(all.size()); }
};
DigitHeldOut digit_held_out(std::uint64_t seed, arma::uword per_digit);

// Training ids: a stream from `seed` (uniform labels) that never yields a held-out id.
class DigitStream {
public:
    DigitStream(std::uint64_t seed, const DigitHeldOut& held_out);
    std::uint64_t next();

private:
    NamedGenerator ids_;
    const DigitHeldOut& held_out_;
};

constexpr std::uint64_t kDigitHeldOutSeed = 1414;
constexpr arma::uword kHeldOutPerDigit = 100;

}  // namespace tfm
