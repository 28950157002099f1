#include "io/page.hpp"

#include "core/i18n.hpp"
#include "draw/svg.hpp"

#include <utility>

namespace tfm {
namespace {

// One column of at most 60 em; tables and pictures wider than the screen scroll inside
// their own box, never the page. Cells carry their own colours, so they read the same on
// a light and on a dark page.
const char* const kStyle = R"(
:root { color-scheme: light dark;
        --fg: #1b1b1b; --bg: #fdfdfc; --dim: #5b5b5b; --rule: #d8d8d8; --code: #f1f1ee; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8e8e6; --bg: #161616; --dim: #a8a8a8; --rule: #3a3a3a; --code: #242424; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
       font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "DejaVu Sans",
             sans-serif; }
main { max-width: 60em; margin: 0 auto; padding: 1em; }
nav { font-size: 0.9em; color: var(--dim); }
nav a { color: inherit; }
h1 { font-size: 1.5em; line-height: 1.25; margin: 0.6em 0 0.4em; }
h2 { font-size: 1.2em; margin: 1.8em 0 0.5em; padding-top: 0.6em;
     border-top: 1px solid var(--rule); }
p { margin: 0.5em 0; overflow-wrap: anywhere; }
pre.command { background: var(--code); padding: 0.5em 0.75em; border-radius: 4px;
              white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.9em; }
pre.picture { line-height: 1.05; font-size: 0.9em; overflow-x: auto; }
figure { margin: 1em 0; }
figcaption { margin-bottom: 0.3em; overflow-wrap: anywhere; }
figcaption .note, .legend { color: var(--dim); font-size: 0.9em; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font: 13px/1.3 ui-monospace, "DejaVu Sans Mono", monospace; }
th, td { padding: 0.15em 0.5em; text-align: right; white-space: nowrap; }
thead th { color: var(--dim); font-weight: normal; border-bottom: 1px solid var(--rule); }
tbody th { text-align: left; color: var(--dim); font-weight: normal; }
table.plain td.word, table.plain th.word { text-align: left; }
.legend span { display: inline-block; padding: 0 0.4em; margin-right: 1px;
               font: 12px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
svg { max-width: 100%; height: auto; display: block; margin: 0.5em 0; }
)";

}  // namespace

std::string html_escape(const std::string& s) { return xml_escape(s); }

Page::Page(std::string title, std::string command, std::vector<PageLink> links)
    : title_(std::move(title)), command_(std::move(command)), links_(std::move(links)) {}

void Page::heading(const std::string& text) {
    body_ +=
        "<h2 id=\"section-" + std::to_string(++sections_) + "\">" + html_escape(text) + "</h2>\n";
}

void Page::paragraph(const std::string& text) {
    std::string lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        const std::string line = text.substr(start, end - start);
        if (line.find_first_not_of(' ') == std::string::npos) {
            if (!lines.empty()) body_ += "<p>" + lines + "</p>\n";
            lines.clear();
        } else {
            lines += (lines.empty() ? "" : "<br/>") + html_escape(line);
        }
        start = end + 1;
    }
    if (!lines.empty()) body_ += "<p>" + lines + "</p>\n";
}

void Page::block(const std::string& html) { body_ += html; }

std::string Page::html() const {
    std::string nav;
    for (const PageLink& link : links_)
        nav += std::string(nav.empty() ? "" : " · ") + "<a href=\"" + html_escape(link.href) +
               "\">" + html_escape(link.text) + "</a>";
    // The page's language, for its fonts and line breaking: the language the lesson speaks.
    const char* const lang = current_language() == Language::zh ? "zh-CN" : "en";
    return "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"" +
           std::string(lang) +
           "\">\n<head>\n"
           "<meta charset=\"utf-8\"/>\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
           "<title>" +
           html_escape(title_) + "</title>\n<style>" + kStyle +
           "</style>\n</head>\n<body>\n<main>\n" + (nav.empty() ? "" : "<nav>" + nav + "</nav>\n") +
           "<h1>" + html_escape(title_) + "</h1>\n<pre class=\"command\">$ " +
           html_escape(command_) + "</pre>\n" + body_ + "</main>\n</body>\n</html>\n";
}

}  // namespace tfm
