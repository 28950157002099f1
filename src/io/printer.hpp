// Printing tensors the way every lesson shows them (DESIGN §4):
//
//   Q [6 × 4]  (one row per token)
//              c0       c1       c2       c3
//   the    0.1234  -0.5678   1.0000   0.0000
//   …
//
// `NAME [rows × cols]`, an optional one-line note, column labels, row labels (tokens
// when given, else r0, r1, …), fixed precision, NumPy-like elision ("…") of the
// middle rows/columns beyond max_rows/max_cols, and heat shading of cells (256-colour
// background) when colour is on and the style asks for it (attention weights).
// When a dump folder is set, the same call writes DIR/NAME.npy: the name on screen
// is the file name.
#pragma once
#include <armadillo>
#include <cstdio>
#include <string>
#include <vector>

namespace tfm {

struct PrintOptions {
    int precision = 4;
    int max_rows = 12;
    int max_cols = 0;      // 0: as many columns as fit in `width` (the rest elided)
    int width = 100;       // display columns of the screen (see screen_width())
    bool color = false;    // resolved from --color auto|always|never and NO_COLOR
    bool quiet = false;    // lessons: no narration (tensors still print)
    std::string dump_dir;  // empty: do not dump
};

struct Labels {
    std::vector<std::string> rows;  // empty: r0, r1, …
    std::vector<std::string> cols;  // empty: c0, c1, …
};

enum class Shade { none, heat };  // heat: shade cells by value (for weights in [0, 1])

class Printer {
public:
    explicit Printer(PrintOptions options, std::FILE* out = stdout);

    // Prints NAME [r × c], the note (if any), the matrix; dumps DIR/NAME.npy.
    void tensor(const std::string& name, const arma::mat& m, const Labels& labels = {},
                const std::string& note = "", Shade shade = Shade::none);
    // A matrix of whole numbers (a mask, one-hot rows): printed without decimals,
    // whatever --precision says, so that 1 = blocked reads as 1, not 1.0000.
    void integers(const std::string& name, const arma::mat& m, const Labels& labels = {},
                  const std::string& note = "");
    // A 1-D tensor (bias, norm weight, a per-token statistic): NAME [n], dumped as (n,).
    void vector(const std::string& name, const arma::rowvec& v,
                const std::vector<std::string>& labels = {}, const std::string& note = "");
    // Dump only (no screen): for tensors too large or too many to print.
    void dump(const std::string& name, const arma::mat& m) const;
    void dump_vector(const std::string& name,
                     const arma::rowvec& v) const;  // as (n,), like vector()

    // Narration: a paragraph of plain text (skipped with --quiet), wrapped at 88 columns
    // (fewer on a narrower screen).
    void say(const std::string& text);
    // A section heading ("── 2. Scaled scores ──"), skipped with --quiet.
    void heading(const std::string& text);
    // A plain aligned table (header row + rows), e.g. cost tables; printed even when quiet.
    void table(const std::vector<std::string>& header,
               const std::vector<std::vector<std::string>>& rows);

    const PrintOptions& options() const { return options_; }

private:
    // Columns to show: --max-cols when given, else as many as fit in the width.
    int fitting_columns(std::size_t label_width, std::size_t cell_width) const;

    PrintOptions options_;
    std::FILE* out_;
};

// The width lessons print to: the terminal's columns when stdout is a terminal (at
// least 40), else 100 — the width every lesson's default screen fits.
int screen_width();

// Formats a number the way the printer does ("0.1234", "-inf", "1.2e+07" when huge).
std::string format_number(double x, int precision);

// Columns a UTF-8 string takes on a terminal: one per character, two for wide East
// Asian characters. ("√d_k" is 4 columns, though 6 bytes.)
std::size_t display_width(const std::string& s);

// Splits one paragraph at spaces into lines of at most `width` columns (a word wider
// than that gets a line of its own). Always at least one line, empty for an empty text.
std::vector<std::string> wrap_words(const std::string& paragraph, std::size_t width);

}  // namespace tfm
