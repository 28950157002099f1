#include "io/printer.hpp"

#include "core/shape.hpp"
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

// Which indices to show out of n when at most `max` fit: all of them, or the first
// and last halves with -1 marking the elided middle ("…"), as NumPy does.
std::vector<long> shown_indices(std::size_t n, int max) {
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

// Heat palette of the 256-colour terminal, dark to bright: black, reds, oranges,
// yellows, to white. Dark cells get white text, bright cells black text.
const int kHeat[] = {16, 52, 88, 124, 160, 196, 202, 208, 214, 220, 226, 227, 228, 229, 230, 231};
constexpr int kHeatLevels = sizeof(kHeat) / sizeof(kHeat[0]);
constexpr int kFirstBrightLevel = 6;

std::string shaded(const std::string& cell, double value) {
    if (std::isnan(value)) return cell;
    const double t = std::clamp(value, 0.0, 1.0);
    const int level = std::min(kHeatLevels - 1, static_cast<int>(t * kHeatLevels));
    const int fg = level >= kFirstBrightLevel ? 16 : 231;
    return "\033[48;5;" + std::to_string(kHeat[level]) + "m\033[38;5;" + std::to_string(fg) + "m" +
           cell + kReset;
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

// Wide: CJK ideographs, kana, Hangul, full-width forms.
std::size_t display_width(const std::string& s) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < s.size();) {
        const unsigned char c = s[i];
        std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
        for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
            cp = (cp << 6) | (s[i + k] & 0x3F);
        const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                          (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                          (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                          (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
        width += wide ? 2 : 1;
        i += len;
    }
    return width;
}

std::vector<std::string> wrap_words(const std::string& paragraph, std::size_t width) {
    std::vector<std::string> lines;
    std::string line;
    std::size_t pos = 0;
    while (pos < paragraph.size()) {
        const std::size_t word_end = std::min(paragraph.find(' ', pos), paragraph.size());
        const std::string word = paragraph.substr(pos, word_end - pos);
        pos = word_end + 1;
        if (word.empty()) continue;
        if (!line.empty() && display_width(line) + 1 + display_width(word) > width) {
            lines.push_back(line);
            line.clear();
        }
        line += (line.empty() ? "" : " ") + word;
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
    const std::vector<std::string> row_labels =
        labels.rows.empty() ? default_labels("r", m.n_rows) : labels.rows;
    const std::vector<std::string> col_labels =
        labels.cols.empty() ? default_labels("c", m.n_cols) : labels.cols;
    const std::vector<long> rows = shown_indices(m.n_rows, options_.max_rows);
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
        shown_indices(m.n_cols, fitting_columns(label_width, cell_width));

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
            line += color && shade == Shade::heat ? shaded(cell, m(r, c)) : cell;
        }
        text += line + "\n";
    }
    std::fprintf(out_, "%s\n", text.c_str());
    std::fflush(out_);
    dump(name, m);
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
                       const std::string& note) {
    PrintOptions whole_numbers = options_;
    whole_numbers.precision = 0;
    Printer(whole_numbers, out_).tensor(name, m, labels, note);
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
    const std::vector<long> cols = shown_indices(v.n_elem, fitting_columns(0, cell_width));

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
}

void Printer::heading(const std::string& text) {
    if (options_.quiet) return;
    const bool color = options_.color;
    std::fprintf(out_, "%s── %s ──%s\n\n", color ? kBold : "", text.c_str(), color ? kReset : "");
    std::fflush(out_);
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
    // Numbers right-aligned (digits line up), words left-aligned.
    auto numeric = [](const std::string& s) {
        return s.find_first_of("0123456789") != std::string::npos &&
               s.find_first_not_of("0123456789.,+-e% ") == std::string::npos;
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
}

}  // namespace tfm
