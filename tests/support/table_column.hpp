// The column `name` of a TextTable, top to bottom (a failed REQUIRE if there is none).
#pragma once
#include "io/table.hpp"

#include <string>
#include <vector>

namespace tfm::test {

std::vector<std::string> column(const TextTable& t, const std::string& name);

}  // namespace tfm::test
