#include "core/error.hpp"
#include "ops/sequence_rows.hpp"

#include "support/catch.hpp"

using namespace tfm;

TEST_CASE("sequence b of a stacked batch is rows b*n to (b+1)*n - 1", "[batch]") {
    const SequenceRows rows(12, 3);  // 3 sequences of 4 rows
    CHECK(rows.sequences == 3);
    CHECK(rows.length == 4);
    CHECK(rows.first(1) == 4);
    CHECK(rows.last(1) == 7);
    CHECK(rows.of(2).a == 8);
    CHECK(rows.of(2).b == 11);
    CHECK(SequenceRows(5, 1).last(0) == 4);  // one sequence is all the rows
}

TEST_CASE("rows that do not split into the sequences are an input error naming them", "[batch]") {
    CHECK_THROWS_WITH(SequenceRows(10, 3, "query rows"),
                      "10 query rows do not split into 3 sequences of one length");
    CHECK_THROWS_AS(SequenceRows(4, 0), InputError);
}
