// The checks of lesson 14, images (checks.hpp; how they decide: checks_common.cpp).
#include "exercises/checks_common.hpp"

#include "ops/patchify.hpp"

#include <cmath>
#include <map>

namespace ex {

using namespace check;

namespace {

// ── models of the usual mistakes, apart from src/ ──

// The patches with both choices exposed: the grid read column by column instead of row by
// row, and each patch's pixels read column by column.
arma::mat patches(const arma::mat& image, arma::uword p, bool grid_by_columns,
                  bool pixels_by_columns) {
    const arma::uword down = image.n_rows / p, across = image.n_cols / p;
    arma::mat out(down * across, p * p);
    for (arma::uword r = 0; r < down; ++r)
        for (arma::uword c = 0; c < across; ++c)
            for (arma::uword i = 0; i < p; ++i)
                for (arma::uword j = 0; j < p; ++j)
                    out(grid_by_columns ? c * down + r : r * across + c,
                        pixels_by_columns ? j * p + i : i * p + j) = image(r * p + i, c * p + j);
    return out;
}

}  // namespace

std::string check_patchify(decltype(&patchify) candidate) {
    // 8 × 12 (not square, so that rows and columns cannot be mixed up unseen), patches of 4:
    // a 2 × 3 grid of 6 patches. Pixel (y, x) holds 100·y + x + 1, so each value names its
    // pixel.
    const arma::uword p = 4;
    arma::mat image(8, 12);
    for (arma::uword y = 0; y < image.n_rows; ++y)
        for (arma::uword x = 0; x < image.n_cols; ++x) image(y, x) = 100.0 * y + x + 1;
    const arma::mat want = tfm::patchify(image, p);
    arma::mat got;
    const std::string why = attempt([&] { got = candidate(image, p); }, threw_on_valid_input);
    if (!why.empty()) return why;
    // A pixel in two places: the patches overlap.
    std::map<double, std::pair<arma::uword, arma::uword>> seen;  // value → (row, col)
    for (arma::uword r = 0; r < got.n_rows; ++r)
        for (arma::uword c = 0; c < got.n_cols; ++c) {
            const double v = got(r, c);
            const auto it = seen.find(v);
            if (v >= 1 && std::floor(v) == v && it != seen.end() && it->second.first != r) {
                const auto y = static_cast<long>((v - 1) / 100), x = static_cast<long>(v - 1) % 100;
                return "the patches overlap: pixel (" + std::to_string(y) + ", " +
                       std::to_string(x) + ") is in patch " + std::to_string(it->second.first) +
                       " and in patch " + std::to_string(r) +
                       "; step by a whole patch (4 pixels), so that every pixel lands in one "
                       "patch and an 8 × 12 image gives 6 patches";
            }
            seen.emplace(v, std::make_pair(r, c));
        }
    if (same(got, want)) return "";
    if (same(got, patches(image, p, true, false)) || same(got, patches(image, p, true, true)))
        return "the row/column order of the patches is swapped: patch r·(W/p) + c is the one "
               "at patch-row r, patch-column c (left to right, then down), not c·(H/p) + r";
    if (same(got, patches(image, p, false, true)))
        return "the pixels inside each patch are read column by column: pixel (i, j) of a "
               "patch goes to column i·p + j";
    return difference(want, got);
}

}  // namespace ex
