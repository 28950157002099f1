// The course's two colour scales, shared by the terminal, the SVG pictures and the web
// book, so that a weight of 0.8 is the same colour everywhere:
//
//   sequential  for values in [0, 1] (attention weights, masks): viridis, dark purple
//               at 0 through teal to yellow at 1;
//   diverging   for signed values (scores, Q/K/V, the positional encoding, embeddings):
//               ColorBrewer's RdBu, blue below 0, near-white at 0, red above.
//
// Both are colour-blind safe, and both read on a light and on a dark background: every
// cell carries its own background, and its text is black or white, whichever contrasts.
#pragma once
#include <cstdint>
#include <string>

namespace tfm {

struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
};

enum class Scale { sequential, diverging };

// t in [0, 1] (clamped); NaN gives mid grey.
Rgb sequential_colour(double t);
// t in [-1, 1] (clamped): −1 deep blue, 0 near-white, +1 deep red; NaN gives mid grey.
Rgb diverging_colour(double t);

// Where `value` sits on its scale: sequential reads [0, 1] as is; diverging divides by
// `limit` (the largest |value| of the matrix, so that its extremes reach the ends).
// A value that is not finite (a blocked score, −∞) is mid grey on either scale.
Rgb scale_colour(Scale scale, double value, double limit);

// "#1f9e89"
std::string hex(Rgb c);
// Black or white: the text colour that contrasts with a background (by WCAG luminance).
Rgb text_colour_on(Rgb background);
// The nearest of the 256-colour terminal's colours (the 6×6×6 cube and the greys).
int xterm256(Rgb c);

}  // namespace tfm
