// A grey-scale image drawn in the terminal: each pixel two columns wide (so that it looks
// about square), shaded by its value in [0, 1] with five levels,
//   [0, 0.2) "  "   [0.2, 0.4) "░░"   [0.4, 0.6) "▒▒"   [0.6, 0.8) "▓▓"   [0.8, 1] "██"
// optionally cut by grid lines every `grid` pixels (the patches of ops/patchify.hpp). Panels
// are put side by side with a title line above each.
#pragma once
#include <armadillo>
#include <string>
#include <vector>

namespace tfm {

// The shade of one value, two columns wide.
std::string pixel_shade(double value);
// One string per row of pixels (grid 0: no lines; grid p: │ between every p columns and a
// ──┼── line between every p rows).
std::vector<std::string> image_lines(const arma::mat& image, arma::uword grid = 0);
// Panels next to each other, `gap` spaces apart, each under its title; panels of
// different heights are padded with blank lines.
std::vector<std::string> side_by_side(const std::vector<std::vector<std::string>>& panels,
                                      const std::vector<std::string>& titles, std::size_t gap = 3);

}  // namespace tfm
