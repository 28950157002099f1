#include "draw/colour.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tfm {
namespace {

// viridis at t = 0, 0.1, …, 1 (matplotlib's values).
constexpr Rgb kViridis[] = {{68, 1, 84},    {72, 36, 117},  {65, 68, 135},  {53, 95, 141},
                            {42, 120, 142}, {33, 145, 140}, {34, 168, 132}, {68, 191, 112},
                            {122, 209, 81}, {189, 223, 38}, {253, 231, 37}};
// RdBu (ColorBrewer, 11 classes), from −1 (blue) to +1 (red).
constexpr Rgb kRdBu[] = {{5, 48, 97},     {33, 102, 172},  {67, 147, 195},  {146, 197, 222},
                         {209, 229, 240}, {247, 247, 247}, {253, 219, 199}, {244, 165, 130},
                         {214, 96, 77},   {178, 24, 43},   {103, 0, 31}};
constexpr Rgb kGrey{128, 128, 128};

template <std::size_t N>
Rgb interpolate(const Rgb (&stops)[N], double t) {
    const double x = std::clamp(t, 0.0, 1.0) * (N - 1);
    const std::size_t i = std::min<std::size_t>(static_cast<std::size_t>(x), N - 2);
    const double f = x - static_cast<double>(i);
    auto mix = [f](std::uint8_t a, std::uint8_t b) {
        return static_cast<std::uint8_t>(std::lround(a + (b - a) * f));
    };
    return {mix(stops[i].r, stops[i + 1].r), mix(stops[i].g, stops[i + 1].g),
            mix(stops[i].b, stops[i + 1].b)};
}

double linear_channel(std::uint8_t c) {
    const double s = c / 255.0;
    return s <= 0.04045 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
}

double luminance(Rgb c) {
    return 0.2126 * linear_channel(c.r) + 0.7152 * linear_channel(c.g) +
           0.0722 * linear_channel(c.b);
}

int squared_distance(Rgb a, int r, int g, int b) {
    return (a.r - r) * (a.r - r) + (a.g - g) * (a.g - g) + (a.b - b) * (a.b - b);
}

}  // namespace

Rgb sequential_colour(double t) { return std::isnan(t) ? kGrey : interpolate(kViridis, t); }

Rgb diverging_colour(double t) {
    return std::isnan(t) ? kGrey : interpolate(kRdBu, (std::clamp(t, -1.0, 1.0) + 1.0) / 2.0);
}

Rgb scale_colour(Scale scale, double value, double limit) {
    if (!std::isfinite(value)) return kGrey;  // a blocked score (−∞) is no colour of the scale
    if (scale == Scale::sequential) return sequential_colour(value);
    return diverging_colour(limit > 0 ? value / limit : 0.0);
}

std::string hex(Rgb c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
    return buf;
}

Rgb text_colour_on(Rgb background) {
    // Contrast against black (L + 0.05) / 0.05 and against white 1.05 / (L + 0.05) are
    // equal at L ≈ 0.179.
    return luminance(background) > 0.179 ? Rgb{0, 0, 0} : Rgb{255, 255, 255};
}

int xterm256(Rgb c) {
    static const int level[] = {0, 95, 135, 175, 215, 255};
    auto nearest_level = [](int v) {
        int best = 0;
        for (int i = 1; i < 6; ++i)
            if (std::abs(level[i] - v) < std::abs(level[best] - v)) best = i;
        return best;
    };
    const int r = nearest_level(c.r), g = nearest_level(c.g), b = nearest_level(c.b);
    int best = 16 + 36 * r + 6 * g + b;
    int best_distance = squared_distance(c, level[r], level[g], level[b]);
    for (int i = 0; i < 24; ++i) {  // greys 232 … 255: 8, 18, …, 238
        const int v = 8 + 10 * i, d = squared_distance(c, v, v, v);
        if (d < best_distance) {
            best = 232 + i;
            best_distance = d;
        }
    }
    return best;
}

}  // namespace tfm
