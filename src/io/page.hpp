// A lesson as one web page (--html FILE, and `make book`): the narration as paragraphs,
// the headings, every tensor as a table in the same colours as the terminal, and the
// pictures inline. The page is XHTML-clean (well-formed XML, so `make test` can parse
// it), needs no fonts, scripts or styles from outside, and reads on a phone: one
// column, wide tables scroll sideways inside their own box.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace tfm {

struct PageLink {
    std::string text, href;
};

class Page {
public:
    // `command`: the shell command that produced the page, shown at its top.
    Page(std::string title, std::string command, std::vector<PageLink> links);

    void heading(const std::string& text);
    // Each line of `text` a line of its own; blank lines end the paragraph.
    void paragraph(const std::string& text);
    // HTML made elsewhere (a tensor's table, an inline <svg>), well-formed, as is.
    void block(const std::string& html);

    std::string html() const;

private:
    std::string title_, command_;
    std::vector<PageLink> links_;
    std::string body_;
    int sections_ = 0;
};

// Escapes & < > " ' (XML and HTML alike).
std::string html_escape(const std::string& s);

}  // namespace tfm
