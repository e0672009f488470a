"""Tests for the sentiment corpus builder and the shared classification-corpus
helpers, on tiny inline fixtures (npm never runs).

    /usr/bin/python3 -m unittest discover -s scripts/data -p 'test_*.py'
"""

import collections
import contextlib
import io
import json
import pathlib
import sys
import tarfile
import tempfile
import unittest
from unittest import mock

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import build_sentiment_corpus as build  # noqa: E402
import classify_corpus as corpus  # noqa: E402

Record = corpus.Record


def tarball(path, files):
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo("package/" + name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


class CleanAndParseTest(unittest.TestCase):
    def test_clean_text(self):
        self.assertEqual(corpus.clean_text("  A\tvery,\n\nvery  slow movie.  "),
                         "A very, very slow movie.")
        self.assertEqual(corpus.clean_text("again \x96 this\x97torture"),
                         "again \u2013 this\u2014torture")
        self.assertEqual(corpus.clean_text("odd\x81code"), "odd code")
        self.assertEqual(corpus.clean_text("cafe\u0301"), "caf\u00e9")  # NFC

    def test_null_class_is_skipped_and_counted(self):
        records, skipped = build.parse_fixture(
            [{"text": "Great  phone.", "class": 1}, {"text": "Bad.", "class": 0},
             {"text": "", "class": None}], "amazon")
        self.assertEqual(skipped, 1)
        self.assertEqual(records, [Record("Great phone.", "positive", ("amazon", "positive")),
                                   Record("Bad.", "negative", ("amazon", "negative"))])

    def test_malformed_records_are_errors(self):
        for bad in ([{"text": "x", "class": 2}], [{"text": "x", "class": True}],
                    [{"class": 1}], [{"text": " ", "class": 0}], {"text": "x"}):
            with self.assertRaises(build.DataError):
                build.parse_fixture(bad, "yelp")


class DeduplicateAndSplitTest(unittest.TestCase):
    def test_deduplicate_keeps_first(self):
        records = [Record("a", "x", "s1"), Record("b", "y", "s1"), Record("a", "x", "s2"),
                   Record("b", "z", "s1"), Record("c", "x", "s1")]
        kept, duplicates, conflicts = corpus.deduplicate(records)
        self.assertEqual([r.text for r in kept], ["a", "b", "c"])
        self.assertEqual((kept[0].stratum, kept[1].label), ("s1", "y"))
        self.assertEqual((duplicates, conflicts), (2, ["b"]))
        kept, duplicates, conflicts = corpus.deduplicate(records, drop_conflicts=True)
        self.assertEqual(([r.text for r in kept], duplicates), (["a", "c"], 1))

    def records(self):
        return [Record(f"{source} {label} {i}", label, (source, label))
                for source, n in (("amazon", 100), ("imdb", 37))
                for label in ("negative", "positive") for i in range(n)]

    def test_split_is_stratified(self):
        splits = corpus.stratified_split(self.records())
        counts = {split: collections.Counter(r.stratum for r in rows)
                  for split, rows in splits.items()}
        for label in ("negative", "positive"):
            self.assertEqual([counts[s][("amazon", label)] for s in corpus.SPLITS], [80, 10, 10])
            # 37 -> test round(3.7) = 4, valid 4, train 29
            self.assertEqual([counts[s][("imdb", label)] for s in corpus.SPLITS], [29, 4, 4])
        texts = [r.text for rows in splits.values() for r in rows]
        self.assertEqual(sorted(texts), sorted(r.text for r in self.records()))

    def test_split_is_deterministic_and_seeded(self):
        first = corpus.stratified_split(self.records(), seed=1)
        self.assertEqual(first, corpus.stratified_split(self.records(), seed=1))
        self.assertNotEqual(first, corpus.stratified_split(self.records(), seed=2))
        # Each split is shuffled as a whole: classes are interleaved.
        labels = [r.label for r in first["train"][:20]]
        self.assertEqual(set(labels), {"negative", "positive"})

    def test_split_sizes(self):
        self.assertEqual(corpus.split_sizes(500, 0.1, 0.1), (400, 50, 50))
        self.assertEqual(corpus.split_sizes(495, 0.1, 0.1), (395, 50, 50))  # 49.5 -> 50
        self.assertEqual(corpus.split_sizes(3, 0.1, 0.1), (3, 0, 0))


class BuildTest(unittest.TestCase):
    """End to end on a synthetic tarball whose integrity is pinned in place of
    the real one, so npm is never run."""

    def setUp(self):
        self.dir = pathlib.Path(self.enterContext(tempfile.TemporaryDirectory()))
        files = {}
        for source in build.SOURCES:
            rows = [{"text": f"{source} {'good' if c else 'bad'}\tsentence {i}.", "class": c}
                    for i in range(20) for c in (0, 1)]
            rows.append({"text": f"{source} bad sentence 0.", "class": 0})  # duplicate
            rows.append({"text": "", "class": None})
            files[f"test/fixtures/{source}.json"] = json.dumps(rows).encode()
        path = tarball(self.dir / "sentiment-5.0.2.tgz", files)
        self.package = build.PACKAGE._replace(integrity=build.build_emoji_corpus.integrity(path))

    def run_build(self):
        argv = ["build_sentiment_corpus.py", "--out", str(self.dir / "out"),
                "--cache", str(self.dir)]
        log = io.StringIO()
        with contextlib.ExitStack() as stack:
            stack.enter_context(mock.patch.object(build, "PACKAGE", self.package))
            stack.enter_context(mock.patch.object(sys, "argv", argv))
            stack.enter_context(mock.patch.object(
                build.build_emoji_corpus.subprocess, "run",
                side_effect=AssertionError("npm ran")))
            stack.enter_context(contextlib.redirect_stdout(log))
            build.main()
        return log.getvalue()

    def test_writes_aligned_splits(self):
        log = self.run_build()
        self.assertIn("amazon 1, imdb 1, yelp 1", log)
        self.assertIn("3 exact duplicate sentences removed", log)
        out = self.dir / "out"
        seen = set()
        for split, size in (("train", 96), ("valid", 12), ("test", 12)):
            texts = (out / f"{split}.text").read_text().splitlines()
            labels = (out / f"{split}.label").read_text().splitlines()
            self.assertEqual((len(texts), len(labels)), (size, size))
            for text, label in zip(texts, labels):
                self.assertEqual(label, "positive" if "good" in text else "negative")
                self.assertNotIn("\t", text)
            self.assertFalse(seen & set(texts))
            seen |= set(texts)
        before = {p.name: p.read_bytes() for p in out.glob("*.*")}
        self.run_build()
        self.assertEqual(before, {p.name: p.read_bytes() for p in out.glob("*.*")})


if __name__ == "__main__":
    unittest.main()
