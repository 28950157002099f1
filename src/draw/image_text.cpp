#include "draw/image_text.hpp"

#include "core/text_width.hpp"

#include <algorithm>

namespace tfm {

std::string pixel_shade(double value) {
    if (!(value >= 0.2)) return "  ";  // NaN too
    if (value < 0.4) return "░░";
    if (value < 0.6) return "▒▒";
    if (value < 0.8) return "▓▓";
    return "██";
}

std::vector<std::string> image_lines(const arma::mat& image, arma::uword grid) {
    std::vector<std::string> lines;
    for (arma::uword y = 0; y < image.n_rows; ++y) {
        if (grid > 0 && y > 0 && y % grid == 0) {
            std::string rule;
            for (arma::uword x = 0; x < image.n_cols; ++x)
                rule += std::string(x > 0 && x % grid == 0 ? "┼" : "") + "──";
            lines.push_back(rule);
        }
        std::string line;
        for (arma::uword x = 0; x < image.n_cols; ++x)
            line += std::string(grid > 0 && x > 0 && x % grid == 0 ? "│" : "") +
                    pixel_shade(image(y, x));
        lines.push_back(line);
    }
    return lines;
}

std::vector<std::string> side_by_side(const std::vector<std::vector<std::string>>& panels,
                                      const std::vector<std::string>& titles, std::size_t gap) {
    std::vector<std::size_t> widths;
    std::size_t height = 0;
    for (std::size_t i = 0; i < panels.size(); ++i) {
        std::size_t w = i < titles.size() ? display_width(titles[i]) : 0;
        for (const std::string& line : panels[i]) w = std::max(w, display_width(line));
        widths.push_back(w);
        height = std::max(height, panels[i].size());
    }
    const auto cell = [&](std::size_t i, const std::string& text) {
        const bool last = i + 1 == panels.size();
        return text + (last ? "" : std::string(widths[i] - display_width(text) + gap, ' '));
    };
    std::vector<std::string> out;
    std::string title_line;
    for (std::size_t i = 0; i < panels.size(); ++i)
        title_line += cell(i, i < titles.size() ? titles[i] : "");
    out.push_back(title_line);
    for (std::size_t r = 0; r < height; ++r) {
        std::string line;
        for (std::size_t i = 0; i < panels.size(); ++i)
            line += cell(i, r < panels[i].size() ? panels[i][r] : "");
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out.push_back(line);
    }
    return out;
}

}  // namespace tfm
