// How wide text is on screen, for the printer's columns and the pictures' labels.
#pragma once
#include <cstddef>
#include <string>

namespace tfm {

// Columns a UTF-8 string takes on a terminal: one per character, two for wide East
// Asian characters. ("√d_k" is 4 columns, though 6 bytes.)
std::size_t display_width(const std::string& s);

}  // namespace tfm
