#include "io/printer.hpp"

#include "core/i18n.hpp"
#include "core/shape.hpp"
#include "draw/heatmap.hpp"
#include "io/files.hpp"
#include "io/npy.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include <sys/ioctl.h>
#include <unistd.h>

namespace tfm {
namespace {

const char* const kBold = "\033[1m";
const char* const kDim = "\033[2m";
const char* const kReset = "\033[0m";
const char* const kEllipsis = "…";
constexpr std::size_t kWrapWidth = 88;

std::string pad_left(const std::string& s, std::size_t width) {
    const std::size_t w = display_width(s);
    return w >= width ? s : std::string(width - w, ' ') + s;
}

std::string pad_right(const std::string& s, std::size_t width) {
    const std::size_t w = display_width(s);
    return w >= width ? s : s + std::string(width - w, ' ');
}

// A cell's background on the terminal (256 colours) in the colour of its scale, and
// black or white text, whichever reads on it.
std::string shaded(const std::string& cell, Scale scale, double value, double limit) {
    if (std::isnan(value)) return cell;
    const Rgb background = scale_colour(scale, value, limit);
    const int fg = text_colour_on(background).r == 0 ? 16 : 231;
    return "\033[48;5;" + std::to_string(xterm256(background)) + "m\033[38;5;" +
           std::to_string(fg) + "m" + cell + kReset;
}

Scale scale_of(Shade shade) {
    return shade == Shade::weights ? Scale::sequential : Scale::diverging;
}

// The values the legend shows: the scale's ends, its middle and the quarters between.
std::vector<double> legend_values(Scale scale, double limit) {
    const double lo = scale == Scale::sequential ? 0.0 : -limit,
                 hi = scale == Scale::sequential ? 1.0 : limit;
    std::vector<double> values;
    for (int i = 0; i <= 4; ++i) values.push_back(lo + (hi - lo) * i / 4.0);
    return values;
}

// What a scale's colours mean, after its shades.
std::string scale_caption(Scale scale) {
    return scale == Scale::sequential ? tr("viridis, 0 to 1") : tr("blue below 0, red above");
}

// "shades: [0.00][0.25][0.50][0.75][1.00]  viridis, 0 to 1", each value on its colour.
std::string legend_line(Scale scale, double limit) {
    // TRANSLATORS: the start of a heat map's legend; its shades follow.
    std::string line = std::string(kDim) + tr("shades:") + kReset;
    for (double v : legend_values(scale, limit))
        line += " " + shaded(" " + format_number(v, 2) + " ", scale, v, limit);
    line += std::string("  ") + kDim + scale_caption(scale) + kReset;
    return line;
}

// The axis names a picture uses when the lesson gives none.
void default_axes(Labels& labels, Shade shade) {
    const bool square_tokens = !labels.cols.empty() && !labels.rows.empty();
    // TRANSLATORS: the axes of a heat map: queries down, keys across; or tokens and features.
    if (labels.row_axis.empty())
        labels.row_axis = shade == Shade::weights || square_tokens ? tr("query") : tr("token");
    if (labels.col_axis.empty())
        labels.col_axis = shade == Shade::weights || square_tokens ? tr("key") : tr("feature");
}

std::string cell_style(Scale scale, double value, double limit) {
    if (std::isnan(value)) return "";
    const Rgb background = scale_colour(scale, value, limit);
    return " style=\"background:" + hex(background) + ";color:" + hex(text_colour_on(background)) +
           "\"";
}

void check_name(const std::string& name) {
    if (name.empty() || name.find('/') != std::string::npos)
        throw std::invalid_argument("tensor name '" + name + "' cannot be a file name");
}

std::vector<std::string> default_labels(const char* prefix, std::size_t n) {
    std::vector<std::string> labels;
    for (std::size_t i = 0; i < n; ++i) labels.push_back(prefix + std::to_string(i));
    return labels;
}

}  // namespace

int screen_width() {
    winsize size{};
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        return std::max(40, static_cast<int>(size.ws_col));
    return 100;
}

namespace {

// The UTF-8 characters of a word, each with whether a line may break before it. Chinese
// has no spaces: a line may break before or after any wide character, except before
// closing punctuation (，。、；：？！）」》…) and after opening punctuation (（「《).
std::vector<std::pair<std::string, bool>> pieces_of(const std::string& word) {
    static const std::string closing[] = {"，", "。", "、", "；", "：", "？", "！",
                                          "）", "」", "』", "》", "…",  "”",  "’",
                                          ")",  ",",  ".",  ":",  ";",  "?",  "!"};
    static const std::string opening[] = {"（", "「", "『", "《", "“", "‘", "("};
    auto is_in = [](const std::string& c, const auto& list) {
        for (const std::string& x : list)
            if (c == x) return true;
        return false;
    };
    std::vector<std::pair<std::string, bool>> out;
    bool previous_wide = false, previous_opening = false;
    for (std::size_t i = 0; i < word.size();) {
        const unsigned char c = word[i];
        const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        const std::string ch = word.substr(i, len);
        const bool wide = display_width(ch) == 2;
        const bool may_break =
            !out.empty() && (wide || previous_wide) && !is_in(ch, closing) && !previous_opening;
        if (may_break || out.empty())
            out.push_back({ch, may_break});
        else
            out.back().first += ch;
        previous_wide = wide;
        previous_opening = is_in(ch, opening);
        i += len;
    }
    return out;
}

}  // namespace

std::vector<std::string> wrap_words(const std::string& paragraph, std::size_t width) {
    std::vector<std::string> lines;
    std::string line;
    std::size_t pos = 0;
    while (pos < paragraph.size()) {
        std::size_t word_end = std::min(paragraph.find(' ', pos), paragraph.size());
        // A shape is one word: "[6 × 8]" never breaks at its spaces.
        while (word_end < paragraph.size() &&
               (paragraph.compare(word_end, 4, " × ") == 0 ||
                (word_end >= 3 && paragraph.compare(word_end - 3, 4, " × ") == 0)))
            word_end = std::min(paragraph.find(' ', word_end + 1), paragraph.size());
        const std::string word = paragraph.substr(pos, word_end - pos);
        pos = word_end + 1;
        if (word.empty()) continue;
        // A word is placed piece by piece: one piece for a word without wide characters.
        bool first = true;
        for (const auto& [piece, breakable] : pieces_of(word)) {
            const std::size_t gap = first && !line.empty() ? 1 : 0;
            if ((first || breakable) && !line.empty() &&
                display_width(line) + gap + display_width(piece) > width) {
                lines.push_back(line);
                line.clear();
            }
            if (first && !line.empty()) line += " ";
            line += piece;
            first = false;
        }
    }
    lines.push_back(line);
    return lines;
}

std::string format_number(double x, int precision) {
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x < 0 ? "-inf" : "inf";
    char buf[64];
    if (std::fabs(x) >= 1e7) {
        std::snprintf(buf, sizeof buf, "%.*e", std::max(precision - 1, 1), x);
        return buf;
    }
    std::snprintf(buf, sizeof buf, "%.*f", precision, x);
    std::string s = buf;
    // "-0.0000" says nothing a learner can use: a value that rounds to zero is zero.
    if (s[0] == '-' && s.find_first_not_of("0.", 1) == std::string::npos) s.erase(0, 1);
    return s;
}

Printer::Printer(PrintOptions options, std::FILE* out) : options_(std::move(options)), out_(out) {}

void Printer::tensor(const std::string& name, const arma::mat& m, const Labels& labels,
                     const std::string& note, Shade shade) {
    check_name(name);
    if (!labels.rows.empty() && labels.rows.size() != m.n_rows)
        throw std::invalid_argument(name + ": " + std::to_string(labels.rows.size()) +
                                    " row labels for " + std::to_string(m.n_rows) + " rows");
    if (!labels.cols.empty() && labels.cols.size() != m.n_cols)
        throw std::invalid_argument(name + ": " + std::to_string(labels.cols.size()) +
                                    " column labels for " + std::to_string(m.n_cols) + " columns");
    const bool color = options_.color;
    const Scale scale = scale_of(shade);
    const double limit = colour_limit(m);
    const std::vector<std::string> row_labels =
        labels.rows.empty() ? default_labels("r", m.n_rows) : labels.rows;
    const std::vector<std::string> col_labels =
        labels.cols.empty() ? default_labels("c", m.n_cols) : labels.cols;
    const std::vector<long> rows = elided_indices(m.n_rows, options_.max_rows);
    // One width for every value column (as NumPy), one for the row labels.
    std::size_t label_width = 1;
    for (long r : rows)
        if (r >= 0) label_width = std::max(label_width, display_width(row_labels[r]));
    std::size_t cell_width = 1;
    for (arma::uword c = 0; c < m.n_cols; ++c) {
        cell_width = std::max(cell_width, display_width(col_labels[c]));
        for (long r : rows)
            if (r >= 0)
                cell_width =
                    std::max(cell_width, format_number(m(r, c), options_.precision).size());
    }
    const std::vector<long> cols =
        elided_indices(m.n_cols, fitting_columns(label_width, cell_width));

    std::string text =
        (color ? kBold : "") + name + " [" + shape_string(m) + "]" + (color ? kReset : "");
    if (!note.empty()) text += "  " + std::string(color ? kDim : "") + note + (color ? kReset : "");
    text += "\n";

    std::string header = std::string(label_width, ' ');
    for (long c : cols)
        header += "  " + pad_left(c < 0 ? kEllipsis : col_labels[c], c < 0 ? 1 : cell_width);
    text += (color ? kDim : "") + header + (color ? kReset : "") + "\n";

    for (long r : rows) {
        std::string line = pad_right(r < 0 ? kEllipsis : row_labels[r], label_width);
        for (long c : cols) {
            line += "  ";
            if (r < 0 || c < 0) {
                line += pad_left(kEllipsis, c < 0 ? 1 : cell_width);
                continue;
            }
            const std::string cell =
                pad_left(format_number(m(r, c), options_.precision), cell_width);
            line += color && shade != Shade::none ? shaded(cell, scale, m(r, c), limit) : cell;
        }
        text += line + "\n";
    }
    if (color && shade != Shade::none) text += legend_line(scale, limit) + "\n";
    std::fprintf(out_, "%s\n", text.c_str());
    std::fflush(out_);
    dump(name, m);
    if (page()) tensor_page(name, m, labels, note, shade, rows, cols, options_.precision);
    if (shade != Shade::none) heat_map(name, m, labels, note, shade);
}

void Printer::draw(const std::string& name, const arma::mat& m, const Labels& labels,
                   const std::string& note, Shade shade) {
    dump(name, m);
    if (shade != Shade::none) heat_map(name, m, labels, note, shade);
}

void Printer::heat_map(const std::string& name, const arma::mat& m, const Labels& labels,
                       const std::string& note, Shade shade) {
    if (!options_.outputs) return;
    {
        Labels axes = labels;
        default_axes(axes, shade);
        const Scale scale = scale_of(shade);
        HeatMap map;
        map.name = name;
        map.note = note;
        map.row_labels = labels.rows;
        map.col_labels = labels.cols;
        map.row_axis = axes.row_axis;
        map.col_axis = axes.col_axis;
        map.scale = scale;
        map.decimals = std::min(options_.precision, 2);
        picture(name, svg_heatmap(m, map));
    }
}

Page* Printer::page() const {
    return options_.outputs && options_.outputs->page ? &*options_.outputs->page : nullptr;
}

// The tensor on the page: its caption, the same rows and columns as the screen in a
// table that scrolls sideways, each shaded cell in its scale's colour, and a legend.
void Printer::tensor_page(const std::string& name, const arma::mat& m, const Labels& labels,
                          const std::string& note, Shade shade, const std::vector<long>& rows,
                          const std::vector<long>& cols, int precision) {
    const Scale scale = scale_of(shade);
    const double limit = colour_limit(m);
    auto label = [](const std::vector<std::string>& given, const char* prefix, long i) {
        return given.empty() ? prefix + std::to_string(i) : given[static_cast<std::size_t>(i)];
    };
    std::string html =
        "<figure class=\"tensor\" id=\"" + html_escape(name) + "\"><figcaption><b>" +
        html_escape(name) + "</b> [" + shape_string(m) + "]" +
        (note.empty() ? "" : " <span class=\"note\">" + html_escape(note) + "</span>") +
        "</figcaption>\n<div class=\"scroll\"><table class=\"matrix\"><thead><tr><th></th>";
    for (long c : cols)
        html += "<th>" +
                (c < 0 ? std::string(kEllipsis) : html_escape(label(labels.cols, "c", c))) +
                "</th>";
    html += "</tr></thead><tbody>\n";
    for (long r : rows) {
        html += "<tr><th>" +
                (r < 0 ? std::string(kEllipsis) : html_escape(label(labels.rows, "r", r))) +
                "</th>";
        for (long c : cols) {
            if (r < 0 || c < 0) {
                html += "<td>" + std::string(kEllipsis) + "</td>";
                continue;
            }
            const double x = m(r, c);
            html += "<td" + (shade == Shade::none ? std::string() : cell_style(scale, x, limit)) +
                    ">" + html_escape(format_number(x, precision)) + "</td>";
        }
        html += "</tr>\n";
    }
    html += "</tbody></table></div>\n";
    if (shade != Shade::none) {
        html += "<div class=\"legend\">" + html_escape(tr("shades:")) + " ";
        for (double v : legend_values(scale, limit))
            html += "<span" + cell_style(scale, v, limit) + ">" + format_number(v, 2) + "</span>";
        html += " " + html_escape(scale_caption(scale)) + "</div>\n";
    }
    page()->block(html + "</figure>\n");
}

int Printer::fitting_columns(std::size_t label_width, std::size_t cell_width) const {
    if (options_.max_cols > 0) return options_.max_cols;
    // label, then "  cell" per column; an elided middle adds "  …".
    const std::size_t width = static_cast<std::size_t>(std::max(options_.width, 20));
    const std::size_t per_column = cell_width + 2,
                      room = width > label_width + 3 ? width - label_width - 3 : 0;
    return static_cast<int>(std::max<std::size_t>(2, room / per_column));
}

void Printer::integers(const std::string& name, const arma::mat& m, const Labels& labels,
                       const std::string& note, Shade shade) {
    PrintOptions whole_numbers = options_;
    whole_numbers.precision = 0;
    Printer(whole_numbers, out_).tensor(name, m, labels, note, shade);
}

void Printer::vector(const std::string& name, const arma::rowvec& v,
                     const std::vector<std::string>& labels, const std::string& note) {
    check_name(name);
    if (!labels.empty() && labels.size() != v.n_elem)
        throw std::invalid_argument(name + ": " + std::to_string(labels.size()) + " labels for " +
                                    std::to_string(v.n_elem) + " values");
    const bool color = options_.color;
    const std::vector<std::string> col_labels =
        labels.empty() ? default_labels("", v.n_elem) : labels;
    std::size_t cell_width = 1;
    for (arma::uword c = 0; c < v.n_elem; ++c)
        cell_width = std::max({cell_width, display_width(col_labels[c]),
                               format_number(v(c), options_.precision).size()});
    const std::vector<long> cols = elided_indices(v.n_elem, fitting_columns(0, cell_width));

    std::string text =
        (color ? kBold : "") + name + " [" + std::to_string(v.n_elem) + "]" + (color ? kReset : "");
    if (!note.empty()) text += "  " + std::string(color ? kDim : "") + note + (color ? kReset : "");
    text += "\n";
    std::string header, values;
    for (long c : cols) {
        const std::size_t w = c < 0 ? 1 : cell_width;
        header += "  " + pad_left(c < 0 ? kEllipsis : col_labels[c], w);
        values += "  " + pad_left(c < 0 ? kEllipsis : format_number(v(c), options_.precision), w);
    }
    text += (color ? kDim : "") + header + (color ? kReset : "") + "\n" + values + "\n";
    std::fprintf(out_, "%s\n", text.c_str());
    std::fflush(out_);
    if (page()) {
        std::string html =
            "<figure class=\"tensor\" id=\"" + html_escape(name) + "\"><figcaption><b>" +
            html_escape(name) + "</b> [" + std::to_string(v.n_elem) + "]" +
            (note.empty() ? "" : " <span class=\"note\">" + html_escape(note) + "</span>") +
            "</figcaption>\n<div class=\"scroll\"><table class=\"matrix\"><thead><tr>";
        for (long c : cols)
            html +=
                "<th>" + (c < 0 ? std::string(kEllipsis) : html_escape(col_labels[c])) + "</th>";
        html += "</tr></thead><tbody><tr>";
        for (long c : cols)
            html += "<td>" +
                    (c < 0 ? std::string(kEllipsis) : format_number(v(c), options_.precision)) +
                    "</td>";
        page()->block(html + "</tr></tbody></table></div></figure>\n");
    }
    if (!options_.dump_dir.empty()) save_npy_vector(options_.dump_dir + "/" + name + ".npy", v);
}

void Printer::dump(const std::string& name, const arma::mat& m) const {
    check_name(name);
    if (!options_.dump_dir.empty()) save_npy(options_.dump_dir + "/" + name + ".npy", m);
}

void Printer::dump_vector(const std::string& name, const arma::rowvec& v) const {
    check_name(name);
    if (!options_.dump_dir.empty()) save_npy_vector(options_.dump_dir + "/" + name + ".npy", v);
}

void Printer::say(const std::string& text) {
    if (options_.quiet) return;
    const std::size_t last = text.find_last_not_of('\n');
    if (last == std::string::npos) return;
    const std::string body = text.substr(0, last + 1);
    // Each line of `text` stays a line of its own; long lines wrap at word breaks.
    std::string out;
    std::size_t start = 0;
    while (start <= body.size()) {
        std::size_t end = body.find('\n', start);
        if (end == std::string::npos) end = body.size();
        const std::size_t wrap =
            std::min(kWrapWidth, static_cast<std::size_t>(std::max(options_.width, 20)));
        for (const std::string& line : wrap_words(body.substr(start, end - start), wrap))
            out += line + "\n";
        start = end + 1;
    }
    std::fprintf(out_, "%s\n", out.c_str());
    std::fflush(out_);
    if (page()) page()->paragraph(body);
}

void Printer::line(const std::string& text) {
    std::fprintf(out_, "%s\n\n", text.c_str());
    std::fflush(out_);
    if (page()) page()->block("<p class=\"result\"><b>" + html_escape(text) + "</b></p>\n");
}

void Printer::block(const std::vector<std::string>& lines) {
    if (options_.quiet) return;
    std::string text;
    for (const std::string& l : lines) text += l + "\n";
    std::fprintf(out_, "%s\n", text.c_str());
    std::fflush(out_);
    if (page()) page()->block("<pre class=\"picture\">" + html_escape(text) + "</pre>\n");
}

void Printer::heading(const std::string& text) {
    if (options_.quiet) return;
    const bool color = options_.color;
    std::fprintf(out_, "%s── %s ──%s\n\n", color ? kBold : "", text.c_str(), color ? kReset : "");
    std::fflush(out_);
    if (page()) page()->heading(text);
}

void Printer::table(const std::vector<std::string>& header,
                    const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> width(header.size(), 0);
    for (std::size_t c = 0; c < header.size(); ++c) width[c] = display_width(header[c]);
    for (const auto& row : rows) {
        if (row.size() != header.size())
            throw std::invalid_argument("table row has " + std::to_string(row.size()) +
                                        " cells, the header " + std::to_string(header.size()));
        for (std::size_t c = 0; c < row.size(); ++c)
            width[c] = std::max(width[c], display_width(row[c]));
    }
    // Numbers right-aligned (digits line up), words left-aligned; "-" (no number) is
    // aligned as a number.
    auto numeric = [](const std::string& s) {
        return s == "-" || (s.find_first_of("0123456789") != std::string::npos &&
                            s.find_first_not_of("0123456789.,+-e% ") == std::string::npos);
    };
    auto line_of = [&](const std::vector<std::string>& cells) {
        std::string line;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            if (c) line += "  ";
            line +=
                numeric(cells[c]) ? pad_left(cells[c], width[c]) : pad_right(cells[c], width[c]);
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        return line + "\n";
    };
    const bool color = options_.color;
    std::string text = (color ? kBold : "") + line_of(header);
    if (color) text.insert(text.size() - 1, kReset);
    std::size_t total = 0;
    for (std::size_t c = 0; c < width.size(); ++c) total += width[c] + (c ? 2 : 0);
    for (std::size_t i = 0; i < total; ++i) text += "─";
    text += "\n";
    for (const auto& row : rows) text += line_of(row);
    std::fprintf(out_, "%s\n", text.c_str());
    std::fflush(out_);
    if (page()) {
        auto cells = [&](const std::vector<std::string>& row, const char* tag) {
            std::string html = "<tr>";
            for (const std::string& cell : row)
                html += std::string("<") + tag + (numeric(cell) ? "" : " class=\"word\"") + ">" +
                        html_escape(cell) + "</" + tag + ">";
            return html + "</tr>";
        };
        std::string html = "<div class=\"scroll\"><table class=\"plain\"><thead>" +
                           cells(header, "th") + "</thead><tbody>\n";
        for (const auto& row : rows) html += cells(row, "td") + "\n";
        page()->block(html + "</tbody></table></div>\n");
    }
}

void Printer::plot(const std::string& name, const std::vector<Series>& series,
                   const PlotOptions& options) {
    check_name(name);
    PlotOptions on_screen = options;
    on_screen.color = options_.color;
    std::fprintf(out_, "%s\n", text_plot(series, on_screen).c_str());
    std::fflush(out_);
    picture(name, svg_plot_element(series, options));
}

void Printer::picture(const std::string& name, const Svg& svg) {
    check_name(name);
    if (!options_.outputs) return;
    Outputs& o = *options_.outputs;
    if (!o.picture_dir.empty()) {
        write_file_atomically(o.picture_dir + "/" + name + ".svg", svg.document());
        o.written.push_back(name + ".svg");
    }
    if (o.page) o.page->block("<figure class=\"picture\">" + svg.element() + "</figure>\n");
}

std::string Outputs::finish() const {
    if (page) write_file_atomically(page_path, page->html());
    // The first four pictures' names: "weights.svg, scores.svg, …".
    std::string names;
    for (std::size_t i = 0; i < written.size() && i < 4; ++i) names += (i ? ", " : "") + written[i];
    if (written.size() > 4) names += ", …";
    const std::size_t n = written.size();
    if (n > 0 && page)
        return n == 1 ? tr("Wrote {1} picture to {2} ({3}) and the page {4}.", n, picture_dir,
                           names, page_path)
                      : tr("Wrote {1} pictures to {2} ({3}) and the page {4}.", n, picture_dir,
                           names, page_path);
    if (n > 0)
        return n == 1 ? tr("Wrote {1} picture to {2} ({3}).", n, picture_dir, names)
                      : tr("Wrote {1} pictures to {2} ({3}).", n, picture_dir, names);
    if (!picture_dir.empty() && page)
        return tr(
            "No pictures for {1}: this run shaded no tensor and drew no plot and the page "
            "{2}.",
            picture_dir, page_path);
    if (!picture_dir.empty())
        return tr("No pictures for {1}: this run shaded no tensor and drew no plot.", picture_dir);
    if (page) return tr("Wrote the page {1}.", page_path);
    return "";
}

}  // namespace tfm
