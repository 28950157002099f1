#include "course/lesson_05.hpp"

#include "analysis/matrix_stats.hpp"
#include "core/i18n.hpp"
#include "io/table.hpp"
#include "nn/feed_forward.hpp"
#include "nn/layer_norm.hpp"

#include <algorithm>

namespace tfm::course {

RowAloneCheck ffn_row_alone(const FeedForward& ffn, const arma::mat& input, const arma::mat& output,
                            arma::uword row, const std::string& row_name) {
    FeedForward alone = ffn;  // forward() overwrites the caches the lesson prints
    RowAloneCheck check;
    check.row_alone = alone.forward(input.row(row));
    double worst = 0.0;
    for (arma::uword i = 0; i < input.n_rows; ++i)
        worst = std::max(worst, max_abs_diff(alone.forward(input.row(i)), output.row(i)));
    check.exact = worst == 0.0;
    check.table = {{tr("check"), tr("value")},
                   {{"max |" + row_name + " − ffn_out[" + std::to_string(row) + ", :]|",
                     format_diff(max_abs_diff(check.row_alone, output.row(row)))},
                    {tr("max over all rows, each computed alone"), format_diff(worst)}}};
    return check;
}

TextTable layer_norm_check_table(const LayerNorm& norm, const arma::mat& before,
                                 const arma::mat& after) {
    const arma::rowvec var_before = row_variances(before);
    return {
        {tr("check"), tr("value")},
        {{"max |mean_after|", format_diff(arma::abs(row_means(after)).max())},
         {"max |var_after − var/(var + 1e-5)|",
          format_diff(max_abs_diff(row_variances(after), var_before / (var_before + norm.eps)))}}};
}

}  // namespace tfm::course
