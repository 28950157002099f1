#include "draw/plot.hpp"

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/text_width.hpp"
#include "draw/svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

namespace tfm {

namespace {

struct Range {
    double x_lo, x_hi, y_lo, y_hi;
};

// The box around every finite point; a flat range is widened so that it can be drawn.
Range data_range(const std::vector<Series>& series) {
    Range r{std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
            std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
    for (const Series& s : series) {
        require(s.x.n_elem == s.y.n_elem,
                tr("plot series '{1}' has different numbers of x and y values", s.name));
        for (arma::uword i = 0; i < s.x.n_elem; ++i) {
            if (!std::isfinite(s.x(i)) || !std::isfinite(s.y(i))) continue;
            r.x_lo = std::min(r.x_lo, s.x(i));
            r.x_hi = std::max(r.x_hi, s.x(i));
            r.y_lo = std::min(r.y_lo, s.y(i));
            r.y_hi = std::max(r.y_hi, s.y(i));
        }
    }
    require(r.x_lo <= r.x_hi, tr("nothing to plot: no finite points"));
    if (r.x_hi == r.x_lo) {
        r.x_lo -= 0.5;
        r.x_hi += 0.5;
    }
    if (r.y_hi == r.y_lo) {
        r.y_lo -= 0.5;
        r.y_hi += 0.5;
    }
    return r;
}

std::string tick_label(double v) {
    char buf[32];
    if (std::abs(v) < 1e-12) v = 0.0;  // no "-0"
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

const char* const kAnsi[] = {"\033[31m", "\033[34m", "\033[32m",
                             "\033[35m", "\033[33m", "\033[36m"};
const char* const kSvgColor[] = {"#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#e07b00", "#17becf"};
const char* const kSvgDash[] = {"", "8 4", "2 3", "10 3 2 3", "4 4", "1 0"};
constexpr int kStyles = 6;

// An SVG marker shape centred on (x, y), distinct per series index.
void svg_marker(Svg& svg, int style, double x, double y, const char* color) {
    const double r = 3.5;
    const Attributes stroke{{"fill", "none"}, {"stroke", color}, {"stroke-width", "1.3"}};
    auto with = [&](Attributes a) {
        a.insert(a.end(), stroke.begin(), stroke.end());
        return a;
    };
    auto n = [](double v) { return svg_number(v); };
    auto point = [&](const char* op, double px, double py) {
        return std::string(op) + n(px) + " " + n(py);
    };
    switch (style % kStyles) {
        case 0:
            svg.add("circle", with({{"cx", n(x)}, {"cy", n(y)}, {"r", n(r)}}));
            break;
        case 1:
            svg.add(
                "rect",
                with(
                    {{"x", n(x - r)}, {"y", n(y - r)}, {"width", n(2 * r)}, {"height", n(2 * r)}}));
            break;
        case 2:
            svg.add("path", with({{"d", point("M", x, y - r) + point(" L", x + r, y + r) +
                                            point(" L", x - r, y + r) + " Z"}}));
            break;
        case 3:
            svg.add("path",
                    with({{"d", point("M", x, y - r) + point(" L", x + r, y) +
                                    point(" L", x, y + r) + point(" L", x - r, y) + " Z"}}));
            break;
        case 4:
            svg.add("path",
                    with({{"d", point("M", x - r, y - r) + point(" L", x + r, y + r) +
                                    point(" M", x - r, y + r) + point(" L", x + r, y - r)}}));
            break;
        default:
            svg.add("path", with({{"d", point("M", x - r, y) + point(" L", x + r, y) +
                                            point(" M", x, y - r) + point(" L", x, y + r)}}));
    }
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int count) {
    require(std::isfinite(lo) && std::isfinite(hi) && lo <= hi && count >= 2,
            tr("nice_ticks needs lo ≤ hi"));
    if (hi == lo) return {lo};
    const double raw = (hi - lo) / (count - 1);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (double f : {1.0, 2.0, 5.0, 10.0}) {
        step = f * magnitude;
        if (step >= raw) break;
    }
    std::vector<double> ticks;
    for (double t = std::ceil(lo / step - 1e-9) * step; t <= hi + 1e-9 * step; t += step)
        ticks.push_back(t);
    return ticks;
}

std::string text_plot(const std::vector<Series>& series, const PlotOptions& options) {
    require(options.width >= 10 && options.height >= 4,
            tr("text plot needs at least 10 × 4 cells"));
    const Range r = data_range(series);
    const int W = options.width, H = options.height;
    auto col_of = [&](double x) {
        return static_cast<int>(std::lround((x - r.x_lo) / (r.x_hi - r.x_lo) * (W - 1)));
    };
    auto row_of = [&](double y) {
        return static_cast<int>(std::lround((r.y_hi - y) / (r.y_hi - r.y_lo) * (H - 1)));
    };

    // Which series have a point in each cell. A cell one series has to itself shows that
    // series; a cell several share goes to the one with the fewest cells so far, so a
    // series that lies on top of another still shows (two flat lines at one height
    // alternate, "AEAEAE", instead of vanishing under a '*').
    std::vector<std::vector<std::vector<int>>> claims(H, std::vector<std::vector<int>>(W));
    for (std::size_t s = 0; s < series.size(); ++s) {
        for (arma::uword i = 0; i < series[s].x.n_elem; ++i) {
            if (!std::isfinite(series[s].x(i)) || !std::isfinite(series[s].y(i))) continue;
            std::vector<int>& cell = claims[row_of(series[s].y(i))][col_of(series[s].x(i))];
            if (cell.empty() || cell.back() != static_cast<int>(s))
                cell.push_back(static_cast<int>(s));
        }
    }
    std::vector<int> shown(series.size(), 0);
    std::vector<std::vector<int>> owner(H, std::vector<int>(W, -1));  // −1: empty
    bool overlap = false;
    for (int row = 0; row < H; ++row)
        for (int col = 0; col < W; ++col)
            if (claims[row][col].size() == 1) ++shown[owner[row][col] = claims[row][col][0]];
    for (int col = 0; col < W; ++col)
        for (int row = 0; row < H; ++row) {
            const std::vector<int>& cell = claims[row][col];
            if (cell.size() < 2) continue;
            overlap = true;
            int pick = cell[0];
            for (int s : cell)
                if (shown[s] < shown[pick]) pick = s;
            ++shown[owner[row][col] = pick];
        }

    std::vector<std::string> y_labels(H);
    std::size_t label_width = 0;
    for (double t : nice_ticks(r.y_lo, r.y_hi, std::max(3, H / 4))) {
        const int row = row_of(t);
        if (row >= 0 && row < H) y_labels[row] = tick_label(t);
    }
    for (const std::string& l : y_labels) label_width = std::max(label_width, l.size());

    std::ostringstream out;
    if (!options.title.empty()) out << options.title << "\n";
    if (!options.y_label.empty()) out << options.y_label << "\n";
    for (int row = 0; row < H; ++row) {
        out << std::string(label_width - y_labels[row].size(), ' ') << y_labels[row]
            << (y_labels[row].empty() ? " │" : " ┤");
        for (int col = 0; col < W; ++col) {
            const int o = owner[row][col];
            if (o == -1) {
                out << ' ';
            } else if (options.color) {
                out << kAnsi[o % kStyles] << series[o].marker << "\033[0m";
            } else {
                out << series[o].marker;
            }
        }
        out << "\n";
    }
    // x axis: a rule with ┬ at the ticks, then the tick values under them.
    const std::string pad(label_width + 1, ' ');
    std::string rule(W, '-');
    std::string values(W + 8, ' ');
    int free_from = 0;
    std::vector<int> tick_cols;
    for (double t : nice_ticks(r.x_lo, r.x_hi, std::max(3, W / 12))) {
        const int col = col_of(t);
        const std::string label = tick_label(t);
        if (col < 0 || col >= W || col < free_from) continue;
        tick_cols.push_back(col);
        values.replace(col, label.size(), label);
        free_from = col + static_cast<int>(label.size()) + 1;
    }
    out << pad << "└";
    for (int col = 0; col < W; ++col) {
        out << (std::find(tick_cols.begin(), tick_cols.end(), col) != tick_cols.end() ? "┬" : "─");
    }
    out << "\n" << pad << ' ' << values.substr(0, values.find_last_not_of(' ') + 1) << "\n";
    if (!options.x_label.empty()) {
        const int indent = std::max(0, (W - static_cast<int>(display_width(options.x_label))) / 2);
        out << pad << ' ' << std::string(indent, ' ') << options.x_label << "\n";
    }
    // The legend, wrapped at the plot's width.
    const std::size_t line_width =
        std::max<std::size_t>(40, label_width + 2 + static_cast<std::size_t>(W));
    // TRANSLATORS: the start of a text plot's legend; each series' marker and name follow.
    const std::string legend = tr("legend:");
    std::string line = legend;
    std::size_t used = display_width(legend);
    for (std::size_t s = 0; s < series.size(); ++s) {
        const std::string item = std::string(1, series[s].marker) + ' ' + series[s].name;
        if (used + 2 + item.size() > line_width) {
            out << line << "\n";
            line = std::string(display_width(legend), ' ');
            used = line.size();
        }
        line += "  ";
        if (options.color) line += kAnsi[s % kStyles];
        line += series[s].marker;
        if (options.color) line += "\033[0m";
        line += item.substr(1);
        used += 2 + item.size();
    }
    out << line << "\n";
    if (overlap)
        out << tr("(where series meet, a cell shows one of them: each keeps some cells)") << "\n";
    return out.str();
}

std::string svg_plot(const std::vector<Series>& series, const PlotOptions& options) {
    return svg_plot_element(series, options).document();
}

Svg svg_plot_element(const std::vector<Series>& series, const PlotOptions& options) {
    const Range r = data_range(series);
    // The legend on the right, as wide as its longest name.
    double legend = 0;
    for (const Series& s : series)
        legend = std::max(legend, 7.0 * static_cast<double>(display_width(s.name)));
    const double left = 70, right = std::max(210.0, legend + 70), top = 40, bottom = 60;
    const double width = 550 + right, height = 460;
    const double pw = width - left - right, ph = height - top - bottom;
    auto px = [&](double x) { return left + (x - r.x_lo) / (r.x_hi - r.x_lo) * pw; };
    auto py = [&](double y) { return top + (r.y_hi - y) / (r.y_hi - r.y_lo) * ph; };
    auto n = [](double v) { return svg_number(v); };

    Svg svg(width, height, "plot", {{"data-series", std::to_string(series.size())}});
    svg.add("text",
            {{"x", n(left + pw / 2)}, {"y", "22"}, {"text-anchor", "middle"}, {"font-size", "14"}},
            options.title);
    for (double t : nice_ticks(r.y_lo, r.y_hi, 6)) {
        svg.add("line", {{"x1", n(left)},
                         {"x2", n(left + pw)},
                         {"y1", n(py(t))},
                         {"y2", n(py(t))},
                         {"stroke", "#e4e4e4"}});
        svg.add("text", {{"x", n(left - 6)}, {"y", n(py(t) + 4)}, {"text-anchor", "end"}},
                tick_label(t));
    }
    for (double t : nice_ticks(r.x_lo, r.x_hi, 6)) {
        svg.add("line", {{"x1", n(px(t))},
                         {"x2", n(px(t))},
                         {"y1", n(top)},
                         {"y2", n(top + ph)},
                         {"stroke", "#e4e4e4"}});
        svg.add("text", {{"x", n(px(t))}, {"y", n(top + ph + 16)}, {"text-anchor", "middle"}},
                tick_label(t));
    }
    svg.add("rect", {{"x", n(left)},
                     {"y", n(top)},
                     {"width", n(pw)},
                     {"height", n(ph)},
                     {"fill", "none"},
                     {"stroke", "black"}});
    svg.add("text", {{"x", n(left + pw / 2)}, {"y", n(height - 14)}, {"text-anchor", "middle"}},
            options.x_label);
    svg.add("text",
            {{"transform", "translate(18 " + n(top + ph / 2) + ") rotate(-90)"},
             {"text-anchor", "middle"}},
            options.y_label);

    for (std::size_t s = 0; s < series.size(); ++s) {
        const char* color = kSvgColor[s % kStyles];
        const std::string dash = kSvgDash[s % kStyles];
        Attributes stroke{{"fill", "none"}, {"stroke", color}, {"stroke-width", "1.6"}};
        if (!dash.empty()) stroke.push_back({"stroke-dasharray", dash});
        // One group per series: a polyline per run of finite points, markers on about 25.
        svg.open("g", {{"class", "series"}, {"data-name", series[s].name}});
        std::string points;
        auto flush = [&] {
            if (points.empty()) return;
            Attributes line = stroke;
            line.push_back({"points", points});
            svg.add("polyline", line);
            points.clear();
        };
        const arma::uword every = std::max<arma::uword>(1, series[s].x.n_elem / 25);
        for (arma::uword i = 0; i < series[s].x.n_elem; ++i) {
            const double x = series[s].x(i), y = series[s].y(i);
            if (!std::isfinite(x) || !std::isfinite(y)) {
                flush();
                continue;
            }
            points += (points.empty() ? "" : " ") + n(px(x)) + "," + n(py(y));
            if (i % every == 0) svg_marker(svg, static_cast<int>(s), px(x), py(y), color);
        }
        flush();
        svg.close("g");
        const double ly = top + 10 + 20.0 * s, lx = left + pw + 16;
        svg.open("g", {{"class", "legend"}});
        Attributes key = stroke;
        key.insert(key.begin(), {{"x1", n(lx)}, {"x2", n(lx + 30)}, {"y1", n(ly)}, {"y2", n(ly)}});
        svg.add("line", key);
        svg_marker(svg, static_cast<int>(s), lx + 15, ly, color);
        svg.add("text", {{"x", n(lx + 38)}, {"y", n(ly + 4)}}, series[s].name);
        svg.close("g");
    }
    return svg;
}

std::string csv(const std::vector<std::string>& header, const arma::mat& columns) {
    require(header.size() == columns.n_cols,
            tr("CSV header has {1} names for {2} columns", header.size(), columns.n_cols));
    std::ostringstream out;
    for (std::size_t j = 0; j < header.size(); ++j) out << (j ? "," : "") << header[j];
    out << "\n";
    char buf[40];
    for (arma::uword i = 0; i < columns.n_rows; ++i) {
        for (arma::uword j = 0; j < columns.n_cols; ++j) {
            std::snprintf(buf, sizeof buf, "%.17g", columns(i, j));
            out << (j ? "," : "") << buf;
        }
        out << "\n";
    }
    return out.str();
}

}  // namespace tfm
