// Mini-batches: padding layout and the shifted target.
#include "train/batch.hpp"

#include "support/catch.hpp"

using namespace tfm;

TEST_CASE("a batch pads sources and targets and shifts the target right by one") {
    Example a, b;
    a.src = {10, 11, 12};
    a.tgt = {20};
    b.src = {13};
    b.tgt = {21, 22, 23};
    const Batch batch = make_batch({a, b});
    REQUIRE(batch.size() == 2);
    // Sources padded to 3; targets to 3 + 1 (with <bos> or <eos>).
    CHECK(batch.src[0] == TokenIds{10, 11, 12});
    CHECK(batch.src[1] == TokenIds{13, 0, 0});
    CHECK(batch.tgt_in[0] == TokenIds{2, 20, 0, 0});
    CHECK(batch.tgt_out[0] == TokenIds{20, 3, 0, 0});
    CHECK(batch.tgt_in[1] == TokenIds{2, 21, 22, 23});
    CHECK(batch.tgt_out[1] == TokenIds{21, 22, 23, 3});
    CHECK(batch.src_tokens == 4);
    CHECK(batch.tgt_tokens == 6);  // 1 + 1 and 3 + 1
}
