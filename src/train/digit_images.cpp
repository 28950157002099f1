#include "train/digit_images.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"

#include <algorithm>
#include <cmath>

namespace tfm {

const std::vector<std::string>& digit_glyph(arma::uword digit) {
    static const std::vector<std::vector<std::string>> font = {
        {".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."},
        {"..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."},
        {".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"},
        {"#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###."},
        {"...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."},
        {"#####", "#....", "####.", "....#", "....#", "#...#", ".###."},
        {"..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###."},
        {"#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."},
        {".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."},
        {".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.."},
    };
    require(digit < kDigitClasses, tr("there is no digit {1}", digit));
    return font[digit];
}

namespace {

double between(NamedGenerator& g, double lo, double hi) { return lo + (hi - lo) * g.uniform01(); }

// Whether the font point (u, v) (cells across, cells down) lies within `stroke` of an ink
// cell of the glyph. Only the cells around the point can be that close (stroke < 1).
bool inked(const std::vector<std::string>& glyph, double u, double v, double stroke) {
    const long cu = static_cast<long>(std::floor(u)), cv = static_cast<long>(std::floor(v));
    for (long i = cv - 1; i <= cv + 1; ++i)
        for (long j = cu - 1; j <= cu + 1; ++j) {
            if (i < 0 || j < 0 || i >= static_cast<long>(kFontRows) ||
                j >= static_cast<long>(kFontCols))
                continue;
            if (glyph[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] != '#') continue;
            const double du = std::max({static_cast<double>(j) - u, 0.0, u - (j + 1.0)});
            const double dv = std::max({static_cast<double>(i) - v, 0.0, v - (i + 1.0)});
            if (du * du + dv * dv <= stroke * stroke) return true;
        }
    return false;
}

}  // namespace

std::uint64_t id_with_label(std::uint64_t raw, arma::uword digit) { return raw / 10 * 10 + digit; }

DigitImage digit_image(std::uint64_t id) {
    NamedGenerator g(id, "digit_image", kImageSide, kImageSide);
    DigitImage image;
    image.id = id;
    image.label = id % kDigitClasses;
    DigitStyle& s = image.style;
    s.scale_x = between(g, 1.6, 2.1);
    s.scale_y = between(g, 1.6, 2.0);
    s.shear = between(g, -0.25, 0.25);
    s.stroke = between(g, 0.0, 0.4);
    s.ink = between(g, 0.75, 1.0);
    s.noise = 0.08;
    // The glyph's extent in pixels, strokes and slant included; the offset keeps it inside.
    const double side = static_cast<double>(kImageSide);
    const double lean = std::abs(s.shear) * kFontRows / 2.0 + s.stroke;
    const double left = s.scale_x * lean, width = s.scale_x * (kFontCols + 2 * lean);
    const double top = s.scale_y * s.stroke, height = s.scale_y * (kFontRows + 2 * s.stroke);
    s.offset_x = left + between(g, 0.0, std::max(0.0, side - width));
    s.offset_y = top + between(g, 0.0, std::max(0.0, side - height));

    const std::vector<std::string>& glyph = digit_glyph(image.label);
    image.pixels.set_size(kImageSide, kImageSide);
    for (arma::uword y = 0; y < kImageSide; ++y)
        for (arma::uword x = 0; x < kImageSide; ++x) {
            int hits = 0;
            for (int sy = 0; sy < 3; ++sy)
                for (int sx = 0; sx < 3; ++sx) {
                    const double py = static_cast<double>(y) + (sy + 0.5) / 3.0;
                    const double px = static_cast<double>(x) + (sx + 0.5) / 3.0;
                    const double v = (py - s.offset_y) / s.scale_y;
                    const double u =
                        (px - s.offset_x) / s.scale_x - s.shear * (v - kFontRows / 2.0);
                    hits += inked(glyph, u, v, s.stroke) ? 1 : 0;
                }
            const double value = s.ink * hits / 9.0 + s.noise * g.normal();
            image.pixels(y, x) = std::clamp(value, 0.0, 1.0);
        }
    return image;
}

DigitHeldOut digit_held_out(std::uint64_t seed, arma::uword per_digit) {
    NamedGenerator g(seed, "digit_held_out", kDigitClasses, per_digit);
    DigitHeldOut h;
    h.ids.resize(kDigitClasses);
    for (arma::uword d = 0; d < kDigitClasses; ++d)
        while (h.ids[d].size() < per_digit) {
            const std::uint64_t id = id_with_label(g.next(), d);
            if (h.all.insert(id).second) h.ids[d].push_back(id);
        }
    return h;
}

DigitStream::DigitStream(std::uint64_t seed, const DigitHeldOut& held_out)
    : ids_(seed, "digit_stream", 0, 0), held_out_(held_out) {}

std::uint64_t DigitStream::next() {
    for (;;) {
        const std::uint64_t id = ids_.next();
        if (!held_out_.contains(id)) return id;
    }
}

}  // namespace tfm
