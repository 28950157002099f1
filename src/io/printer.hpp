// Printing tensors the way every lesson shows them (DESIGN §4):
//
//   Q [6 × 4]  (one row per token)
//              c0       c1       c2       c3
//   the    0.1234  -0.5678   1.0000   0.0000
//   …
//
// `NAME [rows × cols]`, an optional one-line note, column labels, row labels (tokens
// when given, else r0, r1, …), fixed precision, NumPy-like elision ("…") of the
// middle rows/columns beyond max_rows/max_cols, and shading of cells (256-colour
// background, with a one-line legend) when colour is on and the tensor asks for it: the
// sequential scale for weights in [0, 1], the diverging one for signed values
// (draw/colour.hpp).
// When a dump folder is set, the same call writes DIR/NAME.npy: the name on screen
// is the file name. The same calls draw too: with --out DIR every shaded tensor is also
// a heat map, DIR/NAME.svg, and every plot DIR/NAME.svg; with --html FILE the whole
// lesson (narration, tables in the same colours, the pictures) is also a web page,
// written when the lesson ends (cli::guarded_main calls Outputs::finish).
#pragma once
#include "core/text_width.hpp"
#include "draw/plot.hpp"
#include "io/page.hpp"

#include <armadillo>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tfm {

// Where a run's pictures and page go (--out DIR, --html FILE); shared by every Printer
// made from the same options.
struct Outputs {
    std::string picture_dir;           // --out: empty for none
    std::string page_path;             // --html: empty for none
    std::optional<Page> page;          // present when page_path is set
    std::vector<std::string> written;  // the pictures written so far, in order
    bool quiet = false;                // --quiet: guarded_main does not say what it wrote
    // Writes the page (atomically) and returns one line saying what this run wrote:
    // "Wrote 5 pictures to out/03 (weights.svg, …) and the page out/03.html." Empty
    // when nothing was asked for.
    std::string finish() const;
};

struct PrintOptions {
    int precision = 4;
    int max_rows = 12;
    int max_cols = 0;                  // 0: as many columns as fit in `width` (the rest elided)
    int width = 100;                   // display columns of the screen (see screen_width())
    bool color = false;                // resolved from --color auto|always|never and NO_COLOR
    bool quiet = false;                // lessons: no narration (tensors still print)
    std::string dump_dir;              // empty: do not dump
    std::shared_ptr<Outputs> outputs;  // null: no pictures, no page
};

struct Labels {
    std::vector<std::string> rows;  // empty: r0, r1, …
    std::vector<std::string> cols;  // empty: c0, c1, …
    // What the rows and columns are, for a picture's axes ("query", "key"); empty: the
    // shade's usual ones (query and key for weights, token and feature for values).
    std::string row_axis = "", col_axis = "";
};

// How a tensor's cells are coloured, on screen (with colour on), in its picture and on
// its page; a tensor with a shade gets a picture.
enum class Shade {
    none,
    weights,        // values in [0, 1] (attention weights, masks): sequential, viridis
    signed_values,  // values around 0 (scores, Q/K/V, PE): diverging, blue–white–red
};

class Printer {
public:
    explicit Printer(PrintOptions options, std::FILE* out = stdout);

    // Prints NAME [r × c], the note (if any), the matrix; dumps DIR/NAME.npy.
    void tensor(const std::string& name, const arma::mat& m, const Labels& labels = {},
                const std::string& note = "", Shade shade = Shade::none);
    // A matrix of whole numbers (a mask, one-hot rows): printed without decimals,
    // whatever --precision says, so that 1 = blocked reads as 1, not 1.0000.
    void integers(const std::string& name, const arma::mat& m, const Labels& labels = {},
                  const std::string& note = "", Shade shade = Shade::none);
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
    // One line printed as it is, even with --quiet (an answer, a result).
    void line(const std::string& text);
    // Lines printed as they are, one block (a picture drawn in characters), skipped with
    // --quiet; on the page, preformatted.
    void block(const std::vector<std::string>& lines);
    // A section heading ("── 2. Scaled scores ──"), skipped with --quiet.
    void heading(const std::string& text);
    // A plain aligned table (header row + rows), e.g. cost tables; printed even when quiet.
    void table(const std::vector<std::string>& header,
               const std::vector<std::vector<std::string>>& rows);
    // A line plot: the text plot on screen (printed even when quiet), DIR/NAME.svg with
    // --out, the picture on the page with --html.
    void plot(const std::string& name, const std::vector<Series>& series,
              const PlotOptions& options);
    // A tensor too many to print: dumped, and drawn as its heat map (--out, --html) with
    // the shade it would have been printed in; nothing on screen.
    void draw(const std::string& name, const arma::mat& m, const Labels& labels = {},
              const std::string& note = "", Shade shade = Shade::weights);
    // A picture made elsewhere (a heat map), written as DIR/NAME.svg with --out and put
    // on the page with --html; nothing on screen.
    void picture(const std::string& name, const Svg& svg);

    const PrintOptions& options() const { return options_; }
    // Whether this run draws (--out or --html): pictures beyond the tensors printed are
    // worth computing only then.
    bool draws() const { return options_.outputs != nullptr; }

private:
    // Columns to show: --max-cols when given, else as many as fit in the width.
    int fitting_columns(std::size_t label_width, std::size_t cell_width) const;
    void tensor_page(const std::string& name, const arma::mat& m, const Labels& labels,
                     const std::string& note, Shade shade, const std::vector<long>& rows,
                     const std::vector<long>& cols, int precision);
    Page* page() const;
    void heat_map(const std::string& name, const arma::mat& m, const Labels& labels,
                  const std::string& note, Shade shade);

    PrintOptions options_;
    std::FILE* out_;
};

// The width lessons print to: the terminal's columns when stdout is a terminal (at
// least 40), else 100 — the width every lesson's default screen fits.
int screen_width();

// Formats a number the way the printer does ("0.1234", "-inf", "1.2e+07" when huge).
std::string format_number(double x, int precision);

// Splits one paragraph at spaces into lines of at most `width` columns (a word wider
// than that gets a line of its own). Always at least one line, empty for an empty text.
std::vector<std::string> wrap_words(const std::string& paragraph, std::size_t width);

}  // namespace tfm
