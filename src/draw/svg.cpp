#include "draw/svg.hpp"

#include <cstdio>

namespace tfm {
namespace {

std::string attribute_text(const Attributes& attributes) {
    std::string text;
    for (const auto& [name, value] : attributes)
        text += " " + name + "=\"" + xml_escape(value) + "\"";
    return text;
}

}  // namespace

std::string xml_escape(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string svg_number(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    std::string s = buf;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    if (s == "-0") s = "0";
    return s;
}

Svg::Svg(double width, double height, const std::string& kind, const Attributes& extra) {
    Attributes attributes{{"xmlns", "http://www.w3.org/2000/svg"},
                          {"width", svg_number(width)},
                          {"height", svg_number(height)},
                          {"viewBox", "0 0 " + svg_number(width) + " " + svg_number(height)},
                          {"font-family", "sans-serif"},
                          {"font-size", "12"},
                          {"class", kind}};
    attributes.insert(attributes.end(), extra.begin(), extra.end());
    head_ = "<svg" + attribute_text(attributes) + ">\n";
    add("rect", {{"width", "100%"}, {"height", "100%"}, {"fill", "white"}});
}

void Svg::add(const std::string& tag, const Attributes& attributes, const std::string& text) {
    body_ += "<" + tag + attribute_text(attributes) +
             (text.empty() ? "/>\n" : ">" + xml_escape(text) + "</" + tag + ">\n");
}

void Svg::open(const std::string& tag, const Attributes& attributes) {
    body_ += "<" + tag + attribute_text(attributes) + ">\n";
}

void Svg::close(const std::string& tag) { body_ += "</" + tag + ">\n"; }

std::string Svg::element() const { return head_ + body_ + "</svg>\n"; }

std::string Svg::document() const {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + element();
}

}  // namespace tfm
