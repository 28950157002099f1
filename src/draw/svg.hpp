// The one SVG writer every picture goes through (heat maps, line plots): elements with
// escaped attributes and text, as a standalone file or as an element inlined in a web
// page. Pictures need nothing but a browser: no fonts, scripts or styles from outside.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace tfm {

using Attributes = std::vector<std::pair<std::string, std::string>>;

class Svg {
public:
    // A white canvas; `kind` ("heatmap", "plot") and `extra` become attributes of <svg>
    // (data-rows, data-cols, …), which tests and readers of the file can use.
    Svg(double width, double height, const std::string& kind, const Attributes& extra = {});

    // <tag a="…" …>text</tag>, or <tag … /> without text. Values and text are escaped.
    void add(const std::string& tag, const Attributes& attributes, const std::string& text = "");
    void open(const std::string& tag, const Attributes& attributes);  // <g …>
    void close(const std::string& tag);                               // </g>

    // "<svg …>…</svg>": to inline in HTML.
    std::string element() const;
    // The XML declaration and the element: a standalone .svg file.
    std::string document() const;

private:
    std::string head_, body_;
};

// Escapes & < > " ' for XML text and attribute values.
std::string xml_escape(const std::string& s);
// A coordinate: two decimals at most, no trailing zeros ("12.5", "3").
std::string svg_number(double v);

}  // namespace tfm
