// A table as rows of strings, and the count formats the tables use. Laid out by
// Printer::table (io/printer.hpp) or printed plainly; filled by model/size_table and
// the lessons' own tables.
#pragma once
#include <armadillo>
#include <cstdint>
#include <string>
#include <vector>

namespace tfm {

struct TextTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};

// 124439808 → "124,439,808"
std::string format_count(std::uint64_t n);
// 124439808 → "124.4M", 340e6 → "340M", 1557611200 → "1.558B" (4 significant digits)
std::string format_size(double n);
// ours vs published, as "+0.35%" (empty when nothing is published)
std::string format_difference(std::uint64_t ours, double published);

// The formats of the lessons' tables and narration (the lessons reach them as cli::…).
// "the, cat, sat" — a list of labels.
std::string join_labels(const std::vector<std::string>& labels,
                        const std::string& separator = ", ");
// One number in a printf format: ("%.3e", 1e-5) → "1.000e-05".
std::string printf_number(double x, const char* format = "%.4g");
// A difference or error for a check line: "0" when exactly zero, else "2.2e-16" —
// fixed precision would show a rounding error as 0.0000 and hide it.
std::string format_diff(double x);
// "[6 × 8]" — a matrix's shape as the printer shows it.
std::string shape_of(const arma::mat& m);

}  // namespace tfm
