#!/usr/bin/python3
"""Builds the sentiment classification corpus: the UCI "Sentiment Labelled
Sentences" (Kotzias et al., KDD 2015; Amazon, IMDb and Yelp review sentences
labelled negative/positive), as bundled in the npm package sentiment@5.0.2.

    /usr/bin/python3 scripts/data/build_sentiment_corpus.py [--out DIR] [--cache DIR]

The pinned package is fetched with `npm pack sentiment@5.0.2` into the cache
directory (default OUT/npm) and checked against its pinned sha512; a cached tarball
that matches is used without running npm. The output is a pure function of the
tarball: a rerun gives byte-identical files. See data/README.md for what is written.
"""

import argparse
import json
import pathlib
import sys
import tarfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import build_emoji_corpus  # noqa: E402  (fetch: npm pack with a pinned integrity)
import classify_corpus  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = build_emoji_corpus.Package(
    "sentiment", "5.0.2", "sha512-ZeC3y0JsOYTdwujt5uOd7ILJNilbgFzUtg/LEG4wUv43LayFNLZ2"
    "8ec8+Su+h3saHlJmIwYxBzfDHHZuiMA15g==")
SOURCES = ("amazon", "imdb", "yelp")
LABELS = {0: "negative", 1: "positive"}


class DataError(ValueError):
    """A fixture that is not the expected [{"text": str, "class": 0|1}, ...]."""


def parse_fixture(records, name):
    """[{"text", "class"}] -> ([Record], skipped). Records whose class is null
    (each file ends with an empty one) are skipped and counted; anything else
    that is not a text with class 0 or 1 is an error naming the record."""
    if not isinstance(records, list):
        raise DataError(f"{name}: expected a JSON array of records")
    kept, skipped = [], 0
    for index, record in enumerate(records):
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise DataError(f"{name}[{index}]: expected {{\"text\": str, \"class\": 0|1}}")
        label = record.get("class")
        if label is None:
            skipped += 1
            continue
        if type(label) is not int or label not in LABELS:
            raise DataError(f"{name}[{index}]: class {label!r}, expected 0, 1 or null")
        text = classify_corpus.clean_text(record["text"])
        if not text:
            raise DataError(f"{name}[{index}]: empty text with class {label}")
        kept.append(classify_corpus.Record(text, LABELS[label], (name, LABELS[label])))
    return kept, skipped


def read_records(tarball):
    """All sources' records in file order (amazon, imdb, yelp) and skipped counts."""
    records, skipped = [], {}
    with tarfile.open(tarball) as tar:
        for source in SOURCES:
            member = f"package/test/fixtures/{source}.json"
            data = json.load(tar.extractfile(member))
            parsed, skipped[source] = parse_fixture(data, source)
            records += parsed
    return records, skipped


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=pathlib.Path, default=REPO / "data" / "sentiment",
                        help="output directory (default: data/sentiment in the repository)")
    parser.add_argument("--cache", type=pathlib.Path,
                        help="where the npm tarball is kept (default: OUT/npm)")
    parser.add_argument("--seed", type=int, default=1, help="split seed (default 1)")
    args = parser.parse_args()
    start = time.monotonic()
    cache = (args.cache or args.out / "npm").resolve()

    records, skipped = read_records(build_emoji_corpus.fetch(PACKAGE, cache))
    print(f"{len(records)} labelled sentences; skipped records with a null class: "
          + ", ".join(f"{s} {n}" for s, n in skipped.items()))
    records, duplicates, conflicts = classify_corpus.deduplicate(records)
    print(f"{duplicates} exact duplicate sentences removed (first kept), "
          f"{len(conflicts)} of them with conflicting labels; {len(records)} remain")
    splits = classify_corpus.stratified_split(records, seed=args.seed)
    classify_corpus.write_corpus(args.out, splits)
    print(classify_corpus.balance_table(splits))
    for split, rows in splits.items():
        per_source = {s: sum(r.stratum[0] == s for r in rows) for s in SOURCES}
        print(f"{split}: " + ", ".join(f"{s} {n}" for s, n in per_source.items()))
    print(f"wrote {args.out} in {time.monotonic() - start:.1f} s")


if __name__ == "__main__":
    main()
