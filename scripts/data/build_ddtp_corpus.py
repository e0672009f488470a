#!/usr/bin/python3
"""Builds EN-FR, EN-DE and English summarization corpora from Debian's translated
package descriptions (DDTP), fetched with apt from the configured Debian mirrors.

    /usr/bin/python3 scripts/data/build_ddtp_corpus.py [--out DIR] [--slice DIR]

apt-get update runs with a private lists and cache directory under the output
directory (OUT/apt), so the system's apt state is never touched and no root is
needed; apt verifies the files against the signed InRelease as usual. If apt
cannot run, an earlier download in OUT/apt is used, then (announced) the system's
own lists. See data/README.md for what is written.
"""

import argparse
import bz2
import gzip
import lzma
import os
import pathlib
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import ddtp_corpus  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parents[2]
SYSTEM_LISTS = pathlib.Path("/var/lib/apt/lists")
FOREIGN = ("fr", "de")


def apt_options(work):
    """apt-get options that fetch only the i18n Translation files into work/."""
    return [
        "-o", f"Dir::State::Lists={work / 'lists'}",
        "-o", f"Dir::Cache={work / 'cache'}",
        "-o", "Dir::Cache::pkgcache=", "-o", "Dir::Cache::srcpkgcache=",
        "-o", "Acquire::Languages=en," + ",".join(FOREIGN),
        "-o", "Acquire::IndexTargets::deb::Packages::DefaultEnabled=false",
        "-o", "Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false",
        "-o", "Acquire::GzipIndexes=true",
    ]


def fetch(work):
    """Runs apt-get update into work/lists; False if apt failed."""
    (work / "lists" / "partial").mkdir(parents=True, exist_ok=True)
    (work / "cache" / "archives" / "partial").mkdir(parents=True, exist_ok=True)
    command = ["apt-get", "-q", "update"] + apt_options(work)
    print("+ " + " ".join(command), flush=True)
    try:
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True, errors="replace")
    except OSError as e:
        print(f"cannot run apt-get: {e}", file=sys.stderr)
        return False
    for line in result.stdout.splitlines():
        if line.startswith(("Get:", "Hit:", "Ign:", "Err:", "W:", "E:", "Fetched")):
            print("  " + line)
    if result.returncode != 0:
        print(f"apt-get update failed (exit {result.returncode})", file=sys.stderr)
        return False
    return True


def translation_files(lists, lang):
    """Translation-<lang> files in an apt lists directory, any compression."""
    name = f"*_i18n_Translation-{lang}"
    return sorted(set(lists.glob(name)) | set(lists.glob(name + ".*")))


def read_text(path):
    """Decompresses by suffix; formats the stdlib lacks (lz4, zst) go through
    apt-helper, which reads everything apt can write."""
    openers = {".gz": gzip.open, ".xz": lzma.open, ".lzma": lzma.open, ".bz2": bz2.open}
    if path.suffix in openers:
        with openers[path.suffix](path, "rb") as f:
            data = f.read()
    elif path.suffix in (".lz4", ".zst"):
        data = subprocess.run(["/usr/lib/apt/apt-helper", "cat-file", str(path)],
                              check=True, stdout=subprocess.PIPE).stdout
    else:
        data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ddtp_corpus.ParseError(f"{path}: not valid UTF-8 at byte {e.start}") from e


def load(lists, lang):
    """{md5: Description} merged over every suite that has Translation-<lang>."""
    merged = {}
    for path in translation_files(lists, lang):
        for md5, description in ddtp_corpus.parse_translation(
                read_text(path), lang, str(path)).items():
            merged.setdefault(md5, description)
    return merged


def locate_lists(args, work):
    """The lists directory to read: fresh apt download, else an earlier private
    download, else (said loudly) the system's own lists."""
    if not args.no_update:
        fetch(work)
    for lists in (work / "lists", SYSTEM_LISTS):
        missing = [lang for lang in ("en",) + FOREIGN if not translation_files(lists, lang)]
        if not missing:
            if lists == SYSTEM_LISTS:
                print(f"NOTE: falling back to the system's apt lists in {lists}")
            return lists
        print(f"{lists}: no Translation-{'/'.join(missing)}", file=sys.stderr)
    sys.exit("error: no Translation-en/fr/de files; apt-get update must reach a "
             "Debian mirror (see data/README.md)")


def write_lines(path, lines):
    for line in lines:
        if "\n" in line or "\r" in line or "\t" in line or line != line.strip():
            raise AssertionError(f"{path}: segment not normalised: {line[:60]!r}")
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.writelines(line + "\n" for line in lines)
    os.replace(tmp, path)


def write_corpus(out, name, sides, splits):
    """out/name/{train,valid,test}.{side0,side1}, one segment per line."""
    (out / name).mkdir(parents=True, exist_ok=True)
    for split, pairs in splits.items():
        for index, side in enumerate(sides):
            write_lines(out / name / f"{split}.{side}", [pair[index] for pair in pairs])


def write_slice(directory, corpora, slice_pairs, sample_lines):
    """A small checked-in slice for tests: the first train pairs of each corpus
    and the first lines of the EN-FR test split as a demo sample."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, (sides, splits) in corpora.items():
        count = slice_pairs[name]
        for index, side in enumerate(sides):
            write_lines(directory / f"{name}.train.{side}",
                        [pair[index] for pair in splits["train"][:count]])
    sample = corpora["en-fr"][1]["test"][:sample_lines]
    write_lines(directory / "sample-test.en", [en for en, _ in sample])
    write_lines(directory / "sample-test.fr", [fr for _, fr in sample])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=pathlib.Path, default=REPO / "data" / "ddtp",
                        help="output directory (default: data/ddtp in the repository)")
    parser.add_argument("--no-update", action="store_true",
                        help="skip apt-get update; parse lists fetched earlier")
    parser.add_argument("--test-size", type=int, default=1000)
    parser.add_argument("--valid-size", type=int, default=1000)
    parser.add_argument("--slice", type=pathlib.Path,
                        help="also write the small test slice into this directory")
    args = parser.parse_args()

    start = time.monotonic()
    work = args.out.resolve() / "apt"
    lists = locate_lists(args, work)
    english = load(lists, "en")
    corpora = {}
    for lang in FOREIGN:
        pairs = ddtp_corpus.translation_pairs(english, load(lists, lang))
        corpora["en-" + lang] = (("en", lang), pairs)
    corpora["sum"] = (("src", "tgt"), ddtp_corpus.summary_pairs(english))

    print(f"{len(english)} distinct English descriptions from {lists}")
    for name, (sides, pairs) in corpora.items():
        splits = ddtp_corpus.split_pairs(pairs, args.test_size, args.valid_size)
        corpora[name] = (sides, splits)
        write_corpus(args.out, name, sides, splits)
        counts = "  ".join(f"{split} {len(p)}" for split, p in splits.items())
        print(f"{name:6s} {len(pairs):6d} pairs: {counts}")
    if args.slice:
        write_slice(args.slice, corpora, {"en-fr": 300, "en-de": 300, "sum": 250}, 100)
    print(f"wrote {args.out} in {time.monotonic() - start:.1f} s")


if __name__ == "__main__":
    main()
