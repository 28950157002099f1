#include "support/table_column.hpp"

#include "support/catch.hpp"

namespace tfm::test {

std::vector<std::string> column(const TextTable& t, const std::string& name) {
    std::size_t c = 0;
    while (c < t.header.size() && t.header[c] != name) ++c;
    REQUIRE(c < t.header.size());
    std::vector<std::string> cells;
    for (const auto& row : t.rows) cells.push_back(row[c]);
    return cells;
}

}  // namespace tfm::test
