#include "ops/patchify.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"

#include <string>

namespace tfm {

namespace {

void require_tiling(arma::uword rows, arma::uword cols, arma::uword patch) {
    require(patch >= 1 && rows >= 1 && cols >= 1 && rows % patch == 0 && cols % patch == 0, [&] {
        return tr("patches of {1} × {1} pixels do not tile an image of {2} × {3}", patch, rows,
                  cols);
    });
}

}  // namespace

arma::mat patchify(const arma::mat& image, arma::uword patch) {
    require_tiling(image.n_rows, image.n_cols, patch);
    const arma::uword across = image.n_cols / patch, down = image.n_rows / patch;
    arma::mat patches(down * across, patch * patch);
    for (arma::uword r = 0; r < down; ++r)
        for (arma::uword c = 0; c < across; ++c)
            for (arma::uword i = 0; i < patch; ++i)
                for (arma::uword j = 0; j < patch; ++j)
                    patches(r * across + c, i * patch + j) = image(r * patch + i, c * patch + j);
    return patches;
}

arma::mat unpatchify(const arma::mat& patches, arma::uword rows, arma::uword cols,
                     arma::uword patch) {
    require_tiling(rows, cols, patch);
    const arma::uword across = cols / patch, down = rows / patch;
    require(patches.n_rows == down * across && patches.n_cols == patch * patch, [&] {
        return tr("patches {1} × {2} are not the {3} × {4} of an image of {5} × {6}",
                  patches.n_rows, patches.n_cols, down * across, patch * patch, rows, cols);
    });
    arma::mat image(rows, cols);
    for (arma::uword r = 0; r < down; ++r)
        for (arma::uword c = 0; c < across; ++c)
            for (arma::uword i = 0; i < patch; ++i)
                for (arma::uword j = 0; j < patch; ++j)
                    image(r * patch + i, c * patch + j) = patches(r * across + c, i * patch + j);
    return image;
}

}  // namespace tfm
