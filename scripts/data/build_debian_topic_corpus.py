#!/usr/bin/python3
"""Builds the Debian topic classification corpus: English long package
descriptions labelled with the package's archive section (games, science, ...).

    /usr/bin/python3 scripts/data/build_debian_topic_corpus.py [--out DIR] [--no-update]
        [--sections a,b,...] [--max-per-source N]

Packages (for Section and Source) and Translation-en (for the long descriptions)
of the machine's configured Debian suites are fetched by apt-get update into a
private lists directory (OUT/apt), exactly as build_ddtp_corpus.py does, with the
Packages index enabled and English only. The output is a pure function of those
files. See data/README.md for the sections kept and why.
"""

import argparse
import collections
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import build_ddtp_corpus  # noqa: E402  (apt-get update, list files, decompression)
import classify_corpus  # noqa: E402
import ddtp_corpus  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parents[2]
# Topical sections with >= ~300 descriptions once families are capped; see
# data/README.md for the ones left out (libs, libdevel, doc, language sections...).
SECTIONS = ("admin", "devel", "editors", "games", "graphics", "mail", "math", "net",
            "science", "sound", "text", "utils", "web", "x11")
MAX_PER_SOURCE = 3

Package = collections.namedtuple("Package", "name section source md5")
_DDTP_APT_OPTIONS = build_ddtp_corpus.apt_options


def apt_options(work):
    """build_ddtp_corpus's apt options with the Packages index enabled and
    English translations only."""
    options = []
    for option in _DDTP_APT_OPTIONS(work):
        if option.startswith("Acquire::Languages="):
            option = "Acquire::Languages=en"
        elif option.startswith("Acquire::IndexTargets::deb::Packages::DefaultEnabled="):
            option = "Acquire::IndexTargets::deb::Packages::DefaultEnabled=true"
        options.append(option)
    return options


def fetch(work):
    """build_ddtp_corpus.fetch (apt-get update into work/lists) with apt_options
    above (swapped in for the call); False if apt failed."""
    build_ddtp_corpus.apt_options = apt_options
    try:
        return build_ddtp_corpus.fetch(work)
    finally:
        build_ddtp_corpus.apt_options = _DDTP_APT_OPTIONS


def section_name(section):
    """'contrib/games' -> 'games'; an area prefix (contrib, non-free, ...) is dropped."""
    return section.rpartition("/")[2]


def parse_packages(text, name="<Packages>"):
    """[Package] of a Packages file: name, section without area prefix, source
    package (its name without a version; the package itself when absent) and
    Description-md5. Stanzas lacking Section or Description-md5 are skipped."""
    packages = []
    for line, fields in ddtp_corpus.parse_stanzas(text, name):
        if "package" not in fields:
            raise ddtp_corpus.ParseError(f"{name}:{line}: stanza lacks field 'Package'")
        if "section" not in fields or "description-md5" not in fields:
            continue
        package = fields["package"][0]
        source = fields.get("source", [package])[0].split()[0]
        packages.append(Package(package, section_name(fields["section"][0]), source,
                                fields["description-md5"][0].lower()))
    return packages


def long_text(description):
    """The long description on one line: ' .' paragraph separators dropped,
    whitespace collapsed (classify_corpus.clean_text)."""
    return classify_corpus.clean_text(
        " ".join(line for paragraph in description.paragraphs for line in paragraph))


def cap_per_source(records, sources, limit):
    """Keeps at most limit records per (source package, label), in order: one
    source's binaries (tesseract-ocr-*, dict-freedict-*, gcc cross compilers)
    share a template description that would otherwise fill a class."""
    if limit <= 0:
        return records, 0
    seen, kept = collections.Counter(), []
    for record, source in zip(records, sources):
        seen[source, record.label] += 1
        if seen[source, record.label] <= limit:
            kept.append(record)
    return kept, len(records) - len(kept)


def build_records(packages, english, sections, limit):
    """Records of the wanted sections and a log of what was dropped, in package
    name order: empty descriptions skipped, identical texts deduplicated (texts
    seen with two sections dropped), then at most limit per source package."""
    wanted, empty = [], 0
    for package in sorted(set(packages)):
        if package.section not in sections:
            continue
        text = long_text(english[package.md5]) if package.md5 in english else ""
        if not text:
            empty += 1
            continue
        wanted.append((classify_corpus.Record(text, package.section, package.section),
                       package.source))
    source_of = {}
    for record, source in wanted:
        source_of.setdefault(record.text, source)
    records, duplicates, conflicts = classify_corpus.deduplicate(
        [record for record, _ in wanted], drop_conflicts=True)
    records, capped = cap_per_source(records, [source_of[r.text] for r in records], limit)
    log = (f"{len(wanted) + empty} package entries in the sections, {empty} without a long "
           f"description; {duplicates} duplicate texts removed, {len(conflicts)} texts with "
           f"two sections dropped; {capped} removed by the cap of {limit} per source package")
    return records, log


def locate_lists(args, work):
    if not args.no_update:
        fetch(work)
    lists = work / "lists"
    packages = sorted(set(lists.glob("*_Packages")) | set(lists.glob("*_Packages.*")))
    if not packages or not build_ddtp_corpus.translation_files(lists, "en"):
        sys.exit(f"error: no Packages or Translation-en in {lists}; apt-get update must "
                 "reach a Debian mirror (see data/README.md)")
    return lists, packages


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=pathlib.Path, default=REPO / "data" / "debian-topic",
                        help="output directory (default: data/debian-topic in the repository)")
    parser.add_argument("--no-update", action="store_true",
                        help="skip apt-get update; parse lists fetched earlier")
    parser.add_argument("--sections", type=lambda s: tuple(s.split(",")), default=SECTIONS,
                        help="comma-separated sections to keep (default: " + ",".join(SECTIONS)
                             + ")")
    parser.add_argument("--max-per-source", type=int, default=MAX_PER_SOURCE,
                        help="texts kept per source package and section, 0 = all (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="split seed (default 1)")
    args = parser.parse_args()
    start = time.monotonic()
    lists, package_files = locate_lists(args, args.out.resolve() / "apt")
    english = build_ddtp_corpus.load(lists, "en")
    packages = []
    for path in package_files:
        packages += parse_packages(build_ddtp_corpus.read_text(path), str(path))

    texts = collections.defaultdict(set)
    for package in packages:
        if package.md5 in english:
            texts[package.section].add(long_text(english[package.md5]))
    print(f"{len(packages)} package entries in {len(package_files)} Packages files, "
          f"{len(english)} English descriptions; distinct long texts per section:")
    print("  " + ", ".join(f"{s} {len(t)}" for s, t in
                           sorted(texts.items(), key=lambda item: (-len(item[1]), item[0]))))

    records, log = build_records(packages, english, set(args.sections), args.max_per_source)
    print(log)
    splits = classify_corpus.stratified_split(records, seed=args.seed)
    classify_corpus.write_corpus(args.out, splits)
    print(classify_corpus.balance_table(splits))
    print(f"wrote {args.out} in {time.monotonic() - start:.1f} s")


if __name__ == "__main__":
    main()
