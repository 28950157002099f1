"""Every picture and page the lessons write, read back by an XML parser of its own.

Runs each lesson in LESSON_DIR with --out, --html and --dump-dir (at small settings where
a default run is slow), then checks, with Python's expat-based xml.etree (independent
of the C++ that wrote them):
  - every SVG is well-formed XML whose root is an <svg>;
  - a heat map has exactly data-rows × data-cols cells, each with a <title>, its
    data-shape is the shape of the tensor of the same name dumped to .npy, and it
    shows every row and column up to 64, and 64 beyond;
  - a plot has data-series series groups, as many legend entries, and a polyline in each;
  - the page is well-formed XML, holds one inline <svg> per picture written, a heading,
    the command that made it, no script and nothing fetched from outside, and its links
    lead to files that exist;
  - lesson 09 --train writes the training curves (three plots and training.csv);
  - lesson 03 --out writes a heat map of the attention weights with token labels.
Prints one line per failed check, then "pictures: N passed, M failed".
    python3 tests/pictures/check_pictures.py LESSON_DIR
"""
import csv
import os
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
XHTML = "{http://www.w3.org/1999/xhtml}"
MAX_SHOWN = 64

passed = 0
failed = 0
problems = []  # of the file being checked


def check(ok, what):
    if not ok:
        problems.append(what)
    return ok


def done(what):
    """Counts one file (a picture, a page, a run) as one test: passed if nothing failed."""
    global passed, failed
    if problems:
        failed += 1
        for p in problems:
            print(f"FAIL {what}: {p}")
    else:
        passed += 1
    problems.clear()


def npy_shape(path):
    with open(path, "rb") as f:
        magic = f.read(8)
        (length,) = struct.unpack("<H", f.read(2))
        header = f.read(length).decode("latin1")
    shape = header[header.index("(") + 1 : header.index(")")]
    dims = [int(x) for x in shape.replace(" ", "").split(",") if x]
    return dims if magic.startswith(b"\x93NUMPY") else None


def shown(n):
    return min(n, MAX_SHOWN)


def check_heatmap(name, root, dump_dir):
    rows, cols = int(root.get("data-rows")), int(root.get("data-cols"))
    cells = [r for r in root.iter(SVG + "rect") if r.get("class") == "cell"]
    check(len(cells) == rows * cols, f"{name}: {len(cells)} cells for {rows} × {cols}")
    check(all(c.find(SVG + "title") is not None for c in cells), f"{name}: a cell without <title>")
    check(any(g.get("class") == "legend" for g in root.iter(SVG + "g")), f"{name}: no legend")
    r, c = (int(x) for x in root.get("data-shape").split(" × "))
    check((rows, cols) == (shown(r), shown(c)), f"{name}: shows {rows} × {cols} of {r} × {c}")
    npy = os.path.join(dump_dir, root.get("data-name") + ".npy")
    if os.path.exists(npy):
        dims = npy_shape(npy)
        dims = dims if len(dims) == 2 else [1] + dims
        check(dims == [r, c], f"{name}: data-shape {r} × {c}, the dumped tensor {dims}")


def check_plot(name, root):
    groups = [g for g in root.iter(SVG + "g")]
    series = [g for g in groups if g.get("class") == "series"]
    legend = [g for g in groups if g.get("class") == "legend"]
    n = int(root.get("data-series"))
    check(n >= 1 and len(series) == n, f"{name}: {len(series)} series groups, data-series {n}")
    check(len(legend) == n, f"{name}: {len(legend)} legend entries for {n} series")
    for g in series:
        lines = list(g.iter(SVG + "polyline"))
        check(lines and all(len(p.get("points").split()) >= 2 for p in lines),
              f"{name}: series {g.get('data-name')} has no line")


def check_pictures(lesson, out_dir, dump_dir):
    names = sorted(f for f in os.listdir(out_dir) if f.endswith(".svg"))
    for f in names:
        path = os.path.join(out_dir, f)
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as e:
            check(False, f"{lesson}/{f}: not well-formed XML ({e})")
            done(f"{lesson}/{f}")
            continue
        check(root.tag == SVG + "svg", f"{lesson}/{f}: root is {root.tag}, not svg")
        kind = root.get("class")
        if kind == "heatmap":
            check_heatmap(f"{lesson}/{f}", root, dump_dir)
        elif kind == "plot":
            check_plot(f"{lesson}/{f}", root)
        else:
            check(False, f"{lesson}/{f}: neither a heat map nor a plot ({kind})")
        done(f"{lesson}/{f}")
    return names


def check_page(lesson, page, pictures):
    try:
        root = ET.parse(page).getroot()
    except ET.ParseError as e:
        check(False, f"{lesson}: the page is not well-formed XML ({e})")
        return done(f"{lesson}: the page")
    body = root.find(XHTML + "body")
    svgs = list(root.iter(SVG + "svg"))
    check(len(svgs) == len(pictures), f"{lesson}: {len(svgs)} pictures on the page, {len(pictures)} written")
    check(root.find(f".//{XHTML}h1") is not None, f"{lesson}: the page has no heading")
    command = root.find(f".//{XHTML}pre")
    check(command is not None and lesson in (command.text or ""), f"{lesson}: no command on the page")
    check(not list(root.iter(XHTML + "script")), f"{lesson}: a script on the page")
    folder = os.path.dirname(page)
    for a in root.iter(XHTML + "a"):
        href = a.get("href")
        check("://" not in href and os.path.exists(os.path.join(folder, href)),
              f"{lesson}: link {href} leads nowhere")
    for el in root.iter():
        for attr in ("src", "href"):
            value = el.get(attr) or ""
            check(not value.startswith(("http:", "https:", "//")), f"{lesson}: fetches {value}")
    check(body is not None and len("".join(body.itertext())) > 200, f"{lesson}: the page is empty")
    done(f"{lesson}: the page")


FAST = {
    "08_rnn_vs_attention": ["--T", "20", "--timing=false"],
    "10_decoding": ["--samples", "50"],
}


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    check(r.returncode == 0, f"{' '.join(cmd)}: exit {r.returncode}: {r.stderr.strip()[:300]}")
    return r


def main():
    lesson_dir = sys.argv[1]
    lessons = sorted(f for f in os.listdir(lesson_dir) if f[:2].isdigit() and f[2] == "_")
    check(len(lessons) >= 10, f"only {len(lessons)} lessons in {lesson_dir}")
    with tempfile.TemporaryDirectory() as tmp:
        # The page links to docs/ and lessons/ when run from the project's root; there
        # is an index.html beside the pages, as in the book.
        open(os.path.join(tmp, "index.html"), "w").close()
        for lesson in lessons:
            out, dump = os.path.join(tmp, lesson), os.path.join(tmp, lesson + ".npy")
            page = os.path.join(tmp, lesson + ".html")
            run([os.path.join(lesson_dir, lesson), "--out", out, "--html", page,
                 "--dump-dir", dump, "--color", "never"] + FAST.get(lesson, []))
            written = check(os.path.exists(page), f"{lesson}: no page written")
            done(f"{lesson}: the run")
            if not written:
                continue
            pictures = check_pictures(lesson, out, dump) if os.path.isdir(out) else []
            check_page(lesson, page, pictures)
            if lesson.startswith("03_") and check("weights.svg" in pictures, "03: no weights.svg"):
                root = ET.parse(os.path.join(out, "weights.svg")).getroot()
                labels = [t.text for t in root.iter(SVG + "text")]
                check(labels.count("the") >= 4 and "mat" in labels, "03: weights.svg lacks the token labels")
                check("key →" in labels and "← query" in labels, "03: weights.svg lacks its axes")
                done("03: the attention weights' heat map")
            if lesson.startswith("01_"):
                check("PE.svg" in pictures and "PE_64_positions.svg" in pictures, "01: no PE pictures")
                done("01: the positional encoding's pictures")
            if lesson.startswith("09_"):
                out9, dump9 = os.path.join(tmp, "09_train"), os.path.join(tmp, "09_train.npy")
                run([os.path.join(lesson_dir, lesson), "--train", "--task", "copy", "--steps", "30",
                     "--batch-size", "8", "--eval-size", "20", "--out", out9, "--dump-dir", dump9,
                     "--color", "never"])
                done("09 --train --out: the run")
                got = check_pictures("09 --train", out9, dump9)
                for f in ("training_loss.svg", "learning_rate.svg", "exact_match.svg"):
                    check(f in got, f"09 --train: no {f}")
                with open(os.path.join(out9, "training.csv")) as f:
                    table = list(csv.reader(f))
                check(table[0] == ["step", "train_loss", "learning_rate", "held_out_loss",
                                   "held_out_exact_match"], f"09: training.csv header {table[0]}")
                check(len(table) == 1 + 11 and table[-1][0] == "30", f"09: training.csv has {len(table)} lines")
                done("09 --train: the training curves")
        # Bad --out and --html: exit 2, two lines on stderr, nothing written.
        blocker = os.path.join(tmp, "a_file")
        open(blocker, "w").close()
        for args in (["--out", os.path.join(blocker, "sub")], ["--html", os.path.join(tmp, "no", "page.html")],
                     ["--html", ""], ["--out", ""]):
            r = subprocess.run([os.path.join(lesson_dir, lessons[2])] + args, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
            check(r.returncode == 2 and len(r.stderr.splitlines()) == 2 and r.stdout == "",
                  f"{' '.join(args)}: exit {r.returncode}, stderr {r.stderr!r}")
            check(not os.path.exists(os.path.join(tmp, "no")), f"{' '.join(args)}: left a folder")
            done(f"bad {args[0]} {args[1]!r}")
    print(f"pictures: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
