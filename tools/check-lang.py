#!/usr/bin/env python3
"""Checks that a lesson speaks Chinese: the language test of every lesson (issue 16).

  python3 tools/check-lang.py BUILD/lessons/NN_name [--allow REGEX]… [-- LESSON ARGS…]

Runs the lesson three times with the same arguments:
  --lang zh               exit 0; no line of English narration; every line within 100
                          display columns (a CJK character is two)
  --lang en --dump-dir A  and
  --lang zh --dump-dir B  the same tensors, file for file and byte for byte
A line of English narration is a line, Chinese or not, that holds four or more English
words in a row (single spaces or ", " between them), one of them in lower case (a row of
capitals, such as a plot's markers "A AA E A", is not narration). Tensor names, numbers,
option names and tokens do not make such a run; a lesson whose data does (a sentence
it was given, text it generates) names the lines with --allow REGEX.
Prints one line per problem and exits 1, or prints nothing and exits 0.
"""
import filecmp
import os
import re
import subprocess
import sys
import tempfile
import unicodedata

WIDTH = 100
ANSI = re.compile(r"\x1b\[[0-9;]*m")
WORDS = re.compile(r"(?:[A-Za-z][A-Za-z'’]*(?:[ ]|, )){3,}[A-Za-z][A-Za-z'’]*")
# Words that are names, not narration, even four in a row: options, tensor names, math.
NAMES = re.compile(r"--[a-z][a-z0-9-]*|\b[A-Za-z_]+[._][A-Za-z0-9_.]+\b")


def display_width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c)
               else 1 for c in s)


def run(lesson, args, env_extra=None):
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([lesson] + args, capture_output=True, text=True, env=env,
                          timeout=600)


def main(argv):
    if not argv or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    lesson, rest = argv[0], argv[1:]
    allow, args = [], []
    while rest:
        a = rest.pop(0)
        if a == "--allow" and rest:
            allow.append(re.compile(rest.pop(0)))
        elif a == "--":
            args, rest = rest, []
        else:
            print(f"check-lang: unknown argument {a!r}", file=sys.stderr)
            return 2
    name = os.path.basename(lesson) + (" " + " ".join(args) if args else "")
    problems = []
    zh = run(lesson, ["--lang", "zh"] + args)
    if zh.returncode != 0:
        problems.append(f"{name} --lang zh: exit {zh.returncode}: {zh.stderr.strip()[:300]}")
    for number, raw in enumerate(zh.stdout.splitlines(), 1):
        line = ANSI.sub("", raw)
        if display_width(line) > WIDTH:
            problems.append(f"{name} --lang zh: line {number} is {display_width(line)} "
                            f"columns wide (at most {WIDTH}): {line[:60]!r}")
        if any(p.search(line) for p in allow):
            continue
        if any(re.search(r"[a-z]{2}", run) for run in WORDS.findall(NAMES.sub("x", line))):
            problems.append(f"{name} --lang zh: line {number} is English: {line.strip()[:80]!r}")
    with tempfile.TemporaryDirectory() as tmp:
        dirs = [os.path.join(tmp, "en"), os.path.join(tmp, "zh")]
        for lang, d in zip(("en", "zh"), dirs):
            r = run(lesson, ["--lang", lang, "--dump-dir", d, "--quiet"] + args)
            if r.returncode != 0:
                problems.append(f"{name} --lang {lang} --dump-dir: exit {r.returncode}: "
                                f"{r.stderr.strip()[:300]}")
        if all(os.path.isdir(d) for d in dirs):
            files = [sorted(os.listdir(d)) for d in dirs]
            if files[0] != files[1]:
                problems.append(f"{name}: --lang en dumps {len(files[0])} files, --lang zh "
                                f"{len(files[1])}: {sorted(set(files[0]) ^ set(files[1]))[:5]}")
            elif not files[0]:
                problems.append(f"{name}: --dump-dir wrote no tensor to compare")
            for f in files[0]:
                if f in files[1] and not filecmp.cmp(os.path.join(dirs[0], f),
                                                     os.path.join(dirs[1], f), shallow=False):
                    problems.append(f"{name}: {f} differs between --lang en and --lang zh")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
