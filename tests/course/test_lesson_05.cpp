// Lesson 05's own checks: a row through the FFN alone, and LayerNorm's statistics.
#include "course/lesson_05.hpp"

#include "core/random.hpp"
#include "nn/feed_forward.hpp"
#include "nn/layer_norm.hpp"

#include <string>
#include "support/catch.hpp"

using namespace tfm;
using namespace tfm::course;

TEST_CASE("the FFN row-alone check and the LayerNorm check report tiny differences") {
    set_seed(6);
    FeedForward ffn(4, 16, Activation::relu);
    const arma::mat x = normal(5, 4);
    FeedForward copy = ffn;
    const arma::mat y = copy.forward(x);
    const RowAloneCheck check = ffn_row_alone(ffn, x, y, 2, "ffn_row2");
    CHECK(arma::approx_equal(check.row_alone, y.row(2), "absdiff", 1e-12));
    CHECK(check.table.rows[0][0] == "max |ffn_row2 − ffn_out[2, :]|");

    LayerNorm norm(4);
    const arma::mat before = normal(3, 4) * 10.0;
    const TextTable t = layer_norm_check_table(norm, before, norm.forward(before));
    REQUIRE(t.rows.size() == 2);
    for (const auto& row : t.rows) CHECK(std::stod(row[1]) < 1e-12);
}
