// A table as rows of strings, and the count formats the tables use. Laid out by
// Printer::table (io/printer.hpp) or printed plainly; filled by model/size_table and
// the lessons' own tables.
#pragma once
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

}  // namespace tfm
