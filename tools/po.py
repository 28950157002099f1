#!/usr/bin/env python3
"""The Chinese catalogue: po/zh/PART.po, one part per lesson and one for the rest.

  python3 tools/po.py update   extract every tr("…") and N_("…") of the code (the C++ and
                               tools/*.py) with xgettext, and bring each part up to date: a
                               new message arrives with an empty translation, a message the
                               code no longer has leaves, every translation already made stays
  python3 tools/po.py check    exit 0 when the catalogue is complete: every message of the
                               code is in its part, translated, not fuzzy, with the same
                               {1}, {2}, … as its English, and msgfmt --check --statistics
                               agrees; else one line per problem and exit 1
  python3 tools/po.py mo OUT   compile every part into one OUT.mo (msgcat | msgfmt)

A message belongs to the part of the files that use it: part NN_name for a lesson's
(lessons/NN_name.cpp, src/course/lesson_NN.*), part "cli" for src/cli/ and tools/, part
"core" for the rest of src/. A message used in two parts' files belongs to part
"shared". Each message is in exactly one part, so two people translating two lessons
never edit the same file.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PO_DIR = os.path.join(ROOT, "po", "zh")
PLACEHOLDER = re.compile(r"\{[1-9]\}")


def sources(patterns=("src/*/*.cpp", "src/*/*.hpp", "lessons/*.cpp", "tools/*.cpp")):
    files = []
    for pattern in patterns:
        files += glob.glob(pattern, root_dir=ROOT)
    return sorted(files)


def python_sources():
    """The Python tools (tools/pytorch_bridge.py): the same tr() and N_() as the C++."""
    return sources(("tools/*.py",))


def lesson_parts():
    """{ "03": "03_attention", … } from lessons/NN_name.cpp."""
    parts = {}
    for path in glob.glob("lessons/[0-9][0-9]_*.cpp", root_dir=ROOT):
        name = os.path.basename(path)[:-4]
        parts[name[:2]] = name
    return parts


def part_of_file(path, parts):
    m = re.fullmatch(r"lessons/([0-9][0-9])_[^/]*\.cpp", path) or re.fullmatch(
        r"src/course/lesson_([0-9][0-9])\.(cpp|hpp)", path)
    if m:
        return parts.get(m.group(1), "shared")
    return "cli" if path.startswith(("src/cli/", "tools/")) else "core"


# --- reading and writing .po -------------------------------------------------------------

def unquote(s):
    s = s.strip()
    assert s.startswith('"') and s.endswith('"'), s
    out, i, body = [], 0, s[1:-1]
    while i < len(body):
        c = body[i]
        if c == "\\" and i + 1 < len(body):
            n = body[i + 1]
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(n, "\\" + n))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace(
        "\t", "\\t") + '"'


class Entry:
    def __init__(self):
        self.comments, self.refs, self.flags = [], [], []
        self.msgid, self.msgstr = None, ""


def read_po(path):
    """[Entry] in file order, the header (msgid "") first; obsolete (#~) entries skipped."""
    entries, e, field = [], Entry(), None

    def flush():
        nonlocal e
        if e.msgid is not None:
            entries.append(e)
        e = Entry()

    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                flush()
                field = None
            elif line.startswith("#~"):
                continue
            elif line.startswith("#:"):
                if e.msgid is not None:
                    flush()
                e.refs += line[2:].split()
            elif line.startswith("#,"):
                if e.msgid is not None:
                    flush()
                e.flags += [x.strip() for x in line[2:].split(",") if x.strip()]
            elif line.startswith("#"):
                if e.msgid is not None:
                    flush()
                e.comments.append(line)
            elif line.startswith("msgid "):
                if e.msgid is not None:
                    flush()
                e.msgid, field = unquote(line[6:]), "msgid"
            elif line.startswith("msgstr "):
                e.msgstr, field = unquote(line[7:]), "msgstr"
            elif line.startswith('"'):
                if field == "msgid":
                    e.msgid += unquote(line)
                elif field == "msgstr":
                    e.msgstr += unquote(line)
            else:
                raise SystemExit(f"{path}: cannot read the line {line!r}")
    flush()
    return entries


def write_po(path, header, entries):
    out = [header.rstrip("\n"), ""]
    for e in entries:
        out += [c for c in e.comments if c.startswith("#.")]
        if e.refs:
            out.append("#: " + " ".join(e.refs))
        if e.flags:
            out.append("#, " + ", ".join(e.flags))
        out.append("msgid " + quote(e.msgid))
        out.append("msgstr " + quote(e.msgstr))
        out.append("")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    os.replace(tmp, path)


HEADER = '''# The course's Chinese catalogue, part {part}. Made and kept up to date by
# python3 tools/po.py update; translate each empty msgstr (docs/contributing.md).
msgid ""
msgstr ""
"Project-Id-Version: tfm\\n"
"PO-Revision-Date: 2026-12-02 00:00+0000\\n"
"Last-Translator: the course <docs/contributing.md>\\n"
"Language-Team: Chinese <docs/contributing.md>\\n"
"Language: zh_CN\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
'''


# --- extraction --------------------------------------------------------------------------

def extract():
    """{part: [Entry]} of the messages the code has, each in its one part."""
    with tempfile.TemporaryDirectory() as tmp:
        entries, index = [], {}
        # C++, then Python (there only tr and N_ count: -k drops gettext's default keywords,
        # such as _); a message both use is one entry with the references of both.
        for language, options, files in (
                ("C++", ["--keyword=tr", "--keyword=N_", "--flag=tr:1:no-c-format",
                         "--flag=N_:1:no-c-format"], sources()),
                ("Python", ["-k", "--keyword=tr", "--keyword=N_", "--flag=tr:1:no-python-format",
                            "--flag=N_:1:no-python-format", "--flag=tr:1:no-python-brace-format",
                            "--flag=N_:1:no-python-brace-format"], python_sources())):
            if not files:
                continue
            pot = os.path.join(tmp, language + ".pot")
            done = subprocess.run(
                ["xgettext", "--language=" + language, "--from-code=UTF-8"] + options +
                ["--add-comments=TRANSLATORS:", "--no-wrap", "--add-location=file", "--sort-by-file",
                 "-o", pot] + files, cwd=ROOT, capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit("xgettext failed:\n" + done.stderr)
            for e in read_po(pot) if os.path.exists(pot) else []:
                if e.msgid in index:
                    index[e.msgid].refs += e.refs
                else:
                    index[e.msgid] = e
                    entries.append(e)
    parts, by_part = lesson_parts(), {}
    for e in entries:
        if not e.msgid:
            continue  # xgettext's header (kept: without it, xgettext drops non-ASCII text)
        files = {r.rsplit(":", 1)[0] for r in e.refs}
        owners = {part_of_file(f, parts) for f in files}
        part = owners.pop() if len(owners) == 1 else "shared"
        e.flags = [f for f in e.flags if not f.endswith("-format")]  # {1} is ours, not printf's
        by_part.setdefault(part, []).append(e)
    return by_part


def part_path(part):
    return os.path.join(PO_DIR, part + ".po")


def existing_parts():
    return {os.path.basename(p)[:-3]: p for p in glob.glob(os.path.join(PO_DIR, "*.po"))}


def update():
    os.makedirs(PO_DIR, exist_ok=True)
    wanted = extract()
    known = {}
    for part, path in existing_parts().items():
        for e in read_po(path):
            if e.msgid:
                old = known.get(e.msgid)
                rank = (bool(e.msgstr), "fuzzy" not in e.flags)
                if old is None or rank > (bool(old.msgstr), "fuzzy" not in old.flags):
                    known[e.msgid] = e
    for part, entries in sorted(wanted.items()):
        new = 0
        for e in entries:
            old = known.get(e.msgid)
            if old is not None:
                e.msgstr, e.flags = old.msgstr, [f for f in old.flags if f == "fuzzy"]
            new += not e.msgstr
        write_po(part_path(part), HEADER.format(part=part), entries)
        print(f"po/zh/{part}.po: {len(entries)} messages, {new} to translate")
    for part, path in existing_parts().items():
        if part not in wanted:
            os.remove(path)
            print(f"po/zh/{part}.po: removed (the code has no message of its own there)")


def check():
    problems = []
    wanted = extract()
    have = existing_parts()
    seen = {}
    for part, entries in sorted(wanted.items()):
        if part not in have:
            problems.append(f"po/zh/{part}.po is missing ({len(entries)} messages): "
                            "run python3 tools/po.py update")
            continue
        translated = {e.msgid: e for e in read_po(have[part]) if e.msgid}
        for e in entries:
            where = f"po/zh/{part}.po: {e.refs[0] if e.refs else '?'}"
            t = translated.get(e.msgid)
            if t is None:
                problems.append(f"{where}: not in the catalogue: {e.msgid[:60]!r} "
                                "(run python3 tools/po.py update, then translate it)")
            elif not t.msgstr:
                problems.append(f"{where}: untranslated: {e.msgid[:60]!r}")
            elif "fuzzy" in t.flags:
                problems.append(f"{where}: fuzzy: {e.msgid[:60]!r}")
            elif sorted(PLACEHOLDER.findall(t.msgstr)) != sorted(PLACEHOLDER.findall(e.msgid)):
                problems.append(f"{where}: the translation's placeholders "
                                f"{sorted(set(PLACEHOLDER.findall(t.msgstr)))} differ from "
                                f"the English's {sorted(set(PLACEHOLDER.findall(e.msgid)))}: "
                                f"{e.msgid[:60]!r}")
        code = {e.msgid for e in entries}
        for msgid in translated:
            if msgid not in code:
                problems.append(f"po/zh/{part}.po: {msgid[:60]!r} is not in the code's part "
                                f"{part} (run python3 tools/po.py update)")
            elif msgid in seen:
                problems.append(f"{msgid[:60]!r} is in both po/zh/{seen[msgid]}.po and "
                                f"po/zh/{part}.po")
            seen[msgid] = part
        stats = subprocess.run(["msgfmt", "--check", "--statistics", "-o", os.devnull,
                                have[part]], capture_output=True, text=True)
        said = (stats.stdout + stats.stderr).strip()
        if stats.returncode != 0 or "untranslated" in said or "fuzzy" in said:
            problems.append(f"po/zh/{part}.po: msgfmt --check --statistics: {said}")
    for part in have:
        if part not in wanted:
            problems.append(f"po/zh/{part}.po: no message of the code belongs to it "
                            "(run python3 tools/po.py update)")
    for p in problems:
        print(p)
    total = sum(len(v) for v in wanted.values())
    print(f"catalogue: {total} messages in {len(wanted)} parts, {len(problems)} problems")
    return 1 if problems else 0


def compile_mo(out):
    parts = sorted(existing_parts().values())
    if not parts:
        raise SystemExit("po/zh/ has no .po file")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    cat = subprocess.run(["msgcat", "--use-first", "--no-wrap"] + parts, capture_output=True,
                         check=True)
    tmp = out + ".tmp"
    subprocess.run(["msgfmt", "--check", "-o", tmp, "-"], input=cat.stdout, check=True)
    os.replace(tmp, out)


if __name__ == "__main__":
    os.chdir(ROOT)
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "update":
        update()
    elif command == "check":
        sys.exit(check())
    elif command == "mo" and len(sys.argv) == 3:
        compile_mo(sys.argv[2])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
