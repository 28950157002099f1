// The estimate behind the memory budget, by hand for a small stack, and what it grows with.
#include "model/footprint.hpp"

#include "support/catch.hpp"

#include <limits>

namespace {

tfm::StackRun small(bool decoder) {
    tfm::StackRun r;
    r.layer.d_model = 4;
    r.layer.num_heads = 2;
    r.layer.d_ff = 8;
    r.layers = 1;
    r.decoder = decoder;
    r.rows = 3;
    r.vocab = 5;
    return r;
}

}  // namespace

TEST_CASE("a one-layer encoder's footprint, counted by hand", "[footprint]") {
    // d 4, f 8, h 2, n 3, V 5, two norms:
    //   P    = 4·16 + 2·4·8 + 8 + (8 + 4)·4           = 64 + 64 + 8 + 48 = 184
    //   kept = 10·3·4 + 4·2·3·3 + 4·3·8 + 4·3·4 + 12·3·4 = 120 + 72 + 96 + 48 + 144 = 480
    //   emb  = 2·5·4 + 3·5 + 6·3·4                    = 40 + 15 + 72 = 127
    //   doubles = 2 · (1 · (2·184 + 480) + 127) = 2 · 975 = 1950 → 15600 bytes
    //   madds = 3 · (4·3·16 + 2·3·3·4 + 2·3·4·8 + 3·5·4) = 3 · (192 + 72 + 192 + 60) = 1548
    const tfm::Footprint f = tfm::footprint(small(false));
    CHECK(f.bytes == 15600);
    CHECK(f.madds == 1548);
}

TEST_CASE("the footprint grows with every size and counts attention within each sequence",
          "[footprint]") {
    const tfm::StackRun base = small(true);
    const tfm::Footprint f0 = tfm::footprint(base);
    CHECK(f0.bytes > tfm::footprint(small(false)).bytes);  // cross-attention and a third norm
    for (int which = 0; which < 6; ++which) {
        tfm::StackRun r = base;
        if (which == 0) r.layer.d_model *= 2;
        if (which == 1) r.layer.d_ff *= 2;
        if (which == 2) r.layers *= 2;
        if (which == 3) r.rows *= 2;
        if (which == 4) r.vocab *= 2;
        if (which == 5) r.param_copies += 3;  // Adam's moments and a part
        INFO("size " << which);
        CHECK(tfm::footprint(r).bytes > f0.bytes);
    }
    // 64 sequences of 50 rows attend 64 · 50² pairs, not 3200².
    tfm::StackRun batch = base;
    batch.rows = 64 * 50;
    const tfm::Footprint one_long = tfm::footprint(batch);
    batch.sequences = 64;
    CHECK(tfm::footprint(batch).bytes < one_long.bytes / 4);
}

TEST_CASE("absurd sizes give the largest estimate, never a small wrapped one", "[footprint]") {
    tfm::StackRun r = small(true);
    r.rows = std::uint64_t{1} << 40;
    r.layer.d_model = std::uint64_t{1} << 30;
    const tfm::Footprint f = tfm::footprint(r);
    CHECK(f.bytes == std::numeric_limits<std::uint64_t>::max());
    CHECK(f.madds == std::numeric_limits<std::uint64_t>::max());
}
