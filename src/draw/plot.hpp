// Line plots of a few series, as text for the terminal and as a standalone SVG file
// (lesson 08: log10 ‖∂L/∂x_t‖ against distance, one series per model).
//
// The text plot marks each point with its series' character, so it reads without
// colour; colour (when on) only tints the characters. Where series land on the same
// cell, the cell shows the one with the fewest cells so far, so every series stays
// visible (no '*' that hides which ones met). The legend wraps at the plot's width.
// Points whose y is not finite (log of 0) are left out.
// The SVG draws each series as a polyline with its own colour AND dash pattern and
// marker shape, so it also reads in grey; it needs nothing but a browser.
#pragma once
#include "draw/svg.hpp"

#include <armadillo>
#include <string>
#include <vector>

namespace tfm {

struct Series {
    std::string name;
    char marker;     // the character in the text plot
    arma::vec x, y;  // same length
};

struct PlotOptions {
    std::string title;
    std::string x_label;
    std::string y_label;
    int width = 64;      // text plot: columns of the drawing area
    int height = 16;     // text plot: rows of the drawing area
    bool color = false;  // text plot: ANSI colours on the markers
};

// The text plot with axes, tick values and a legend; ends with a newline.
// InputError if there are no finite points or a series' x and y differ in length.
std::string text_plot(const std::vector<Series>& series, const PlotOptions& options);

// A complete SVG document (UTF-8) of the same plot, and the picture itself (to inline in
// a web page): each series is a <g class="series" data-name="…">, its legend entry a
// <g class="legend">, and <svg data-series="N"> says how many there are.
std::string svg_plot(const std::vector<Series>& series, const PlotOptions& options);
Svg svg_plot_element(const std::vector<Series>& series, const PlotOptions& options);

// "Nice" tick positions (steps of 1, 2 or 5 × 10^k) covering [lo, hi], about `count` of them.
std::vector<double> nice_ticks(double lo, double hi, int count = 5);

// CSV text: a header line, then one line per row of `columns` (numbers printed with 17
// significant digits, so they read back exactly). InputError if the widths differ.
std::string csv(const std::vector<std::string>& header, const arma::mat& columns);

}  // namespace tfm
