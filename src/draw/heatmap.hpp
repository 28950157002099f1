// A matrix as a picture: one coloured cell per entry, token labels on both axes, the
// axes named (rows = queries, columns = keys for attention), a title with the name and
// shape, and a colour legend. Lessons get one for every tensor they print shaded
// (Printer, --out DIR and --html FILE); tests count its cells.
//
//   <svg class="heatmap" data-rows="6" data-cols="6" data-shape="6 × 6">
//     <rect class="cell" …><title>the → cat: 0.1234</title></rect>  one per cell shown
//
// A matrix larger than max_shown rows or columns shows its first and last halves, with
// a gap marked "…" between them, as the terminal does.
#pragma once
#include "draw/colour.hpp"
#include "draw/svg.hpp"

#include <armadillo>
#include <string>
#include <vector>

namespace tfm {

struct HeatMap {
    std::string name;                     // "weights.head0"
    std::string note;                     // "rows sum to 1"
    std::vector<std::string> row_labels;  // one per row (empty: r0, r1, …)
    std::vector<std::string> col_labels;  // one per column (empty: c0, c1, …)
    std::string row_axis = "row";         // "query"
    std::string col_axis = "column";      // "key"
    Scale scale = Scale::sequential;
    int max_shown = 64;
    int decimals = 2;  // of the values written in large cells (0 for a mask)
};

Svg svg_heatmap(const arma::mat& m, const HeatMap& map);

// The largest |x| over the finite entries (0 when there are none): where the diverging
// scale reaches its ends.
double colour_limit(const arma::mat& m);

// Which of n indices to show when at most `max` fit: all of them, or the first and last
// halves with -1 marking the elided middle, as NumPy does.
std::vector<long> elided_indices(std::size_t n, int max);

}  // namespace tfm
