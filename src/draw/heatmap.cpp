#include "draw/heatmap.hpp"

#include "core/shape.hpp"
#include "core/text_width.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tfm {
namespace {

constexpr double kCharWidth = 7.0;  // px of one column of 12 px sans-serif text, roughly

double text_px(const std::string& s) { return kCharWidth * static_cast<double>(display_width(s)); }

std::string cell_value(double x, int decimals) {
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x < 0 ? "−∞" : "∞";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", std::fabs(x) >= 100 ? 0 : decimals, x);
    std::string s = buf;
    if (s[0] == '-' && s.find_first_not_of("0.", 1) == std::string::npos) s.erase(0, 1);
    return s;
}

std::vector<std::string> labels_or_default(const std::vector<std::string>& labels,
                                           const char* prefix, std::size_t n) {
    if (!labels.empty()) return labels;
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back(prefix + std::to_string(i));
    return out;
}

}  // namespace

std::vector<long> elided_indices(std::size_t n, int max) {
    std::vector<long> idx;
    const std::size_t limit = static_cast<std::size_t>(std::max(max, 1));
    if (n <= limit) {
        for (std::size_t i = 0; i < n; ++i) idx.push_back(static_cast<long>(i));
        return idx;
    }
    const std::size_t head = (limit + 1) / 2, tail = limit / 2;
    for (std::size_t i = 0; i < head; ++i) idx.push_back(static_cast<long>(i));
    idx.push_back(-1);
    for (std::size_t i = n - tail; i < n; ++i) idx.push_back(static_cast<long>(i));
    return idx;
}

double colour_limit(const arma::mat& m) {
    double limit = 0;
    for (double x : m)
        if (std::isfinite(x)) limit = std::max(limit, std::fabs(x));
    return limit;
}

Svg svg_heatmap(const arma::mat& m, const HeatMap& map) {
    const std::vector<std::string> row_labels = labels_or_default(map.row_labels, "r", m.n_rows);
    const std::vector<std::string> col_labels = labels_or_default(map.col_labels, "c", m.n_cols);
    const std::vector<long> rows = elided_indices(m.n_rows, map.max_shown);
    const std::vector<long> cols = elided_indices(m.n_cols, map.max_shown);
    const double limit = map.scale == Scale::diverging ? colour_limit(m) : 1.0;

    // Cells as large as fit about 560 px each way, between 8 and 40 px (not always square:
    // 64 positions of 8 dimensions read better tall); values written in them when they are
    // large enough to read, and a label on every row or column that has room for one.
    auto cell_size = [](std::size_t count) {
        return std::clamp(std::floor(560.0 / static_cast<double>(count)), 8.0, 40.0);
    };
    const double cw = cell_size(cols.size()), ch = cell_size(rows.size());
    const bool values_inside = cw >= 30 && ch >= 16;
    const std::size_t row_step = static_cast<std::size_t>(std::ceil(13.0 / ch)),
                      col_step = static_cast<std::size_t>(std::ceil(13.0 / cw));
    double row_label_px = 0, col_label_px = 0;
    for (long r : rows) row_label_px = std::max(row_label_px, r < 0 ? 8 : text_px(row_labels[r]));
    for (long c : cols) col_label_px = std::max(col_label_px, c < 0 ? 8 : text_px(col_labels[c]));

    const std::string title = map.name + " [" + shape_string(m) + "]";
    const double head = map.note.empty() ? 30 : 48;  // the title and the note
    const double left = 30 + row_label_px + 8, top = head + 20 + col_label_px + 8;
    const double grid_w = cw * static_cast<double>(cols.size()),
                 grid_h = ch * static_cast<double>(rows.size());
    const double bar_h = std::max(grid_h, 120.0), bar_x = left + grid_w + 24;
    const double width = std::max({bar_x + 14 + 60, text_px(title) + 20, text_px(map.note) + 20});
    const double height = top + bar_h + 16;
    auto n = [](double v) { return svg_number(v); };

    std::size_t shown_rows = 0, shown_cols = 0;
    for (long r : rows) shown_rows += r >= 0;
    for (long c : cols) shown_cols += c >= 0;
    Svg svg(width, height, "heatmap",
            {{"data-name", map.name},
             {"data-shape", shape_string(m)},
             {"data-rows", std::to_string(shown_rows)},
             {"data-cols", std::to_string(shown_cols)},
             {"data-scale", map.scale == Scale::sequential ? "sequential" : "diverging"}});
    svg.add("text", {{"x", "10"}, {"y", "20"}, {"font-size", "14"}, {"font-weight", "bold"}},
            title);
    if (!map.note.empty()) svg.add("text", {{"x", "10"}, {"y", "38"}, {"fill", "#444"}}, map.note);
    // Axis names: the columns' above their labels, the rows' turned up the left side (the
    // arrow, turned with it, points down the rows).
    svg.add("text",
            {{"x", n(left + grid_w / 2)},
             {"y", n(head + 12)},
             {"text-anchor", "middle"},
             {"font-style", "italic"}},
            map.col_axis + " →");
    svg.add("text",
            {{"transform", "translate(16 " + n(top + grid_h / 2) + ") rotate(-90)"},
             {"text-anchor", "middle"},
             {"font-style", "italic"}},
            "← " + map.row_axis);

    for (std::size_t j = 0; j < cols.size(); ++j) {
        if (j % col_step != 0 && cols[j] >= 0) continue;
        const double x = left + cw * (static_cast<double>(j) + 0.5) + 4;
        svg.add("text", {{"transform", "translate(" + n(x) + " " + n(top - 6) + ") rotate(-90)"}},
                cols[j] < 0 ? "…" : col_labels[cols[j]]);
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const double y = top + ch * (static_cast<double>(i) + 0.5) + 4;
        if (i % row_step == 0 || rows[i] < 0)
            svg.add("text", {{"x", n(left - 6)}, {"y", n(y)}, {"text-anchor", "end"}},
                    rows[i] < 0 ? "…" : row_labels[rows[i]]);
        for (std::size_t j = 0; j < cols.size(); ++j) {
            if (rows[i] < 0 || cols[j] < 0) continue;  // the gap of an elided middle
            const double value = m(rows[i], cols[j]);
            const Rgb fill = scale_colour(map.scale, value, limit);
            const double x0 = left + cw * static_cast<double>(j),
                         y0 = top + ch * static_cast<double>(i);
            svg.open("rect", {{"class", "cell"},
                              {"x", n(x0)},
                              {"y", n(y0)},
                              {"width", n(cw)},
                              {"height", n(ch)},
                              {"fill", hex(fill)}});
            svg.add("title", {},
                    row_labels[rows[i]] + " → " + col_labels[cols[j]] + ": " +
                        cell_value(value, map.decimals == 0 ? 0 : 4));
            svg.close("rect");
            if (values_inside)
                svg.add("text",
                        {{"x", n(x0 + cw / 2)},
                         {"y", n(y0 + ch / 2 + 3.5)},
                         {"text-anchor", "middle"},
                         {"font-size", "10"},
                         {"fill", hex(text_colour_on(fill))}},
                        cell_value(value, map.decimals));
        }
    }

    // The legend: a bar of the scale from its low end (bottom) to its high end (top).
    const bool sequential = map.scale == Scale::sequential;
    const double lo = sequential ? 0.0 : -limit, hi = sequential ? 1.0 : limit;
    constexpr int kSteps = 32;
    svg.open("g", {{"class", "legend"}});
    for (int s = 0; s < kSteps; ++s) {
        const double t = (s + 0.5) / kSteps, value = lo + (hi - lo) * t;
        svg.add("rect", {{"x", n(bar_x)},
                         {"y", n(top + bar_h * (1 - (s + 1.0) / kSteps))},
                         {"width", "14"},
                         {"height", n(bar_h / kSteps + 0.5)},
                         {"fill", hex(scale_colour(map.scale, value, limit))}});
    }
    svg.add("rect", {{"x", n(bar_x)},
                     {"y", n(top)},
                     {"width", "14"},
                     {"height", n(bar_h)},
                     {"fill", "none"},
                     {"stroke", "#888"}});
    for (double t : {0.0, 0.5, 1.0})
        svg.add("text", {{"x", n(bar_x + 18)}, {"y", n(top + bar_h * (1 - t) + 4)}},
                cell_value(lo + (hi - lo) * t, 2));
    svg.close("g");
    return svg;
}

}  // namespace tfm
