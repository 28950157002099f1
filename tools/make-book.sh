#!/bin/sh
# Builds the web book: every lesson run with its defaults, each written as one page
# (--html), and an index that links them, all in one folder that opens offline.
#   sh tools/make-book.sh LESSON_DIR BOOK_DIR
# Run from the project's root, so that each page links to its docs page and source.
set -eu
lessons=$1
book=$2
mkdir -p "$book"
found=$(ls "$lessons" | grep -E '^[0-9][0-9]_' | sort) || true
[ -n "$found" ] || { echo "make-book: no lessons in $lessons" >&2; exit 2; }

index() { # the index, from the pages' titles (already escaped for HTML)
  {
    printf '<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" lang="en">\n<head>\n'
    printf '<meta charset="utf-8"/>\n<meta name="viewport" content="width=device-width, initial-scale=1"/>\n'
    printf '<title>The Transformer, one matrix at a time</title>\n<style>\n'
    printf ':root { color-scheme: light dark; }\n'
    printf 'body { margin: 0; font: 16px/1.5 system-ui, "DejaVu Sans", sans-serif; }\n'
    printf 'main { max-width: 44em; margin: 0 auto; padding: 1em; }\n'
    printf 'li { margin: 0.4em 0; } code { font-size: 0.9em; overflow-wrap: anywhere; }\n'
    printf '</style>\n</head>\n<body>\n<main>\n<h1>The Transformer, one matrix at a time</h1>\n'
    printf '<p>Every lesson of the course, run with its defaults: the narration, every matrix '
    printf 'it prints (in the colours of the terminal) and its pictures. Each page shows the '
    printf 'command that made it; run it yourself, change an option, and compare.</p>\n<ol>\n'
    for name in $found; do
      title=$name
      [ -f "$book/$name.html" ] && title=$(sed -n 's:.*<title>\(.*\)</title>.*:\1:p' "$book/$name.html" | head -n 1)
      printf '<li><a href="%s.html">%s</a></li>\n' "$name" "$title"
    done
    printf '</ol>\n<p>Made by <code>make book</code>; checked in a browser by '
    printf '<code>make book-check</code>.</p>\n</main>\n</body>\n</html>\n'
  } >"$book/index.html.tmp"
  mv "$book/index.html.tmp" "$book/index.html"
}

index  # first, so that every page finds it and links back to it
for name in $found; do
  echo "make-book: $name"
  "$lessons/$name" --color never --html "$book/$name.html" >/dev/null
done
index
echo "make-book: wrote $book/index.html and $(echo "$found" | wc -l) pages"
