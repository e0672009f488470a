"""Tests for the character n-gram baselines: the reading of characters as recur
does, the unigram and Kneser-Ney probabilities by hand, and that every model's
distribution sums to 1 over the vocabulary in seen and unseen contexts.

    /usr/bin/python3 -m unittest discover -s scripts/baselines -p 'test_*.py'
"""

import contextlib
import io
import math
import pathlib
import sys
import tempfile
import unittest
from unittest import mock

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import char_ngram_bpc as cb  # noqa: E402

TOY = ("the whale, the white whale!\nthere she blows;\n\n"
       "thar she blows -- a hump like a snow-hill!\n\u00e9t\u00e9 \u2014 the end\n")


class ReadTest(unittest.TestCase):
    def read(self, data):
        with tempfile.TemporaryDirectory() as tmp:
            path = pathlib.Path(tmp) / "text.txt"
            path.write_bytes(data)
            return cb.read_chars(path)

    def test_lines_and_line_ends(self):
        self.assertEqual(self.read(b"ab\r\n\ncd"), "ab\n\ncd\n")  # CR dropped, last line counts
        self.assertEqual(self.read(b"ab\n"), "ab\n")
        self.assertEqual(self.read(b"\n"), "\n")
        self.assertEqual(self.read(b""), "")
        # Only "\n" ends a line; code points, not bytes, are characters.
        self.assertEqual(self.read("a\u2028b\x0c\u00e9\n".encode()), "a\u2028b\x0c\u00e9\n")
        with self.assertRaises(UnicodeDecodeError):
            self.read(b"\xff\n")

    def test_vocabulary_and_unknowns(self):
        vocab, unknown = cb.vocabulary("ba")
        self.assertEqual(vocab, ["\n", "a", "b", "\ue000"])
        self.assertEqual(unknown, "\ue000")
        self.assertEqual(cb.vocabulary("a\ue000")[1], "\ue001")
        self.assertEqual(cb.map_unknown("abc\nxa", vocab, unknown), ("ab\ue000\n\ue000a", 2))


class UnigramTest(unittest.TestCase):
    def test_bpc_by_hand(self):
        # train "aab\n": a 2, b 1, newline 1 of 4; V = 4 (newline, a, b, unknown):
        # p(a) = 3/8, p(b) = p(newline) = 2/8, p(unknown) = 1/8.
        train = "aab\n"
        vocab, unknown = cb.vocabulary(train)
        model = cb.Unigram(train, vocab)
        self.assertEqual([model.prob(c) for c in vocab], [2 / 8, 3 / 8, 2 / 8, 1 / 8])
        test, unknowns = cb.map_unknown("ba\nc\n", vocab, unknown)
        self.assertEqual(unknowns, 1)
        # bits: b 2, a log2(8/3), newline 2, unknown 3, newline 2
        self.assertAlmostEqual(model.bpc(test), (12 - math.log2(3)) / 5, places=12)


class KneserNeyTest(unittest.TestCase):
    def test_plain_kn_by_hand(self):
        # train "ab\n" after one padding newline: bigrams "\na" "ab" "b\n"; each
        # character has one distinct predecessor. Order 1 (continuation counts,
        # D = 0.5): p(w) = (1 - 0.5 + 1.5 / 4) / 3 = 7/24 for a, b and the line end,
        # 0.5 * 3 / 4 / 3 = 1/8 for the unknown symbol.
        vocab, _ = cb.vocabulary("ab\n")
        model = cb.KneserNey("ab\n", vocab, 2, discount=0.5)
        self.assertAlmostEqual(model.prob("b", "x", 2), 7 / 24)  # unseen context
        self.assertAlmostEqual(model.prob("\ue000", "x", 2), 1 / 8)
        # order 2 after "a" (seen once, followed by b): (1 - 0.5) + 0.5 * 7/24
        self.assertAlmostEqual(model.prob("b", "a", 2), 1 / 2 + 7 / 48)
        self.assertAlmostEqual(model.prob("a", "a", 2), 7 / 48)
        self.assertEqual(model.probs("b", "a", (1, 2)), {1: model.prob("b", "", 1),
                                                         2: model.prob("b", "a", 2)})

    def test_modified_discounts(self):
        # n1 = 4, n2 = 2, n3 = 1, n4 = 1: Y = 4 / 8; D1 = 1 - 2Y 2/4, D2 = 2 - 3Y 1/2,
        # D3 = 3 - 4Y 1/1.
        counts = dict(zip("abcdefgh", (1, 1, 1, 1, 2, 2, 3, 4)))
        self.assertEqual(cb.modified_discounts(counts), (0.5, 1.25, 1.0))
        self.assertEqual(cb.modified_discounts({"a": 1}), (0.5, 1.0, 1.5))  # too thin

    def test_probabilities_sum_to_one(self):
        vocab, unknown = cb.vocabulary(TOY)
        contexts = ["the w", "hale!", "\n\nthe", " she ", "e \u2014 ", "\n\n\n\n\n",
                    "qqqqq", unknown * 5, "xyz t", "ows;\n", "a" * 5, "l" + unknown + "ke "]
        for discount in (None, 0.75, 1.0):
            model = cb.KneserNey(TOY, vocab, 6, discount)
            for context in contexts:
                orders = range(1, 7)
                totals = dict.fromkeys(orders, [])
                for symbol in vocab:
                    probs = model.probs(symbol, context, orders)
                    for n in orders:
                        self.assertGreater(probs[n], 0)
                        totals[n] = totals[n] + [probs[n]]
                for n in orders:
                    with self.subTest(discount=discount, context=context, order=n):
                        self.assertLess(abs(math.fsum(totals[n]) - 1), 1e-9)
        unigram = cb.Unigram(TOY, vocab)
        self.assertLess(abs(math.fsum(unigram.prob(c) for c in vocab) - 1), 1e-12)

    def test_bpc_is_the_mean_of_the_bits(self):
        vocab, unknown = cb.vocabulary(TOY)
        model = cb.KneserNey(TOY, vocab, 3)
        text, _ = cb.map_unknown("the whale\nblows!\n", vocab, unknown)
        padded = "\n\n" + text
        for n in (1, 2, 3):
            bits = [cb.bits(model.prob(padded[i], padded[i - 2:i], n))
                    for i in range(2, len(padded))]
            self.assertAlmostEqual(model.bpc(text, (n,))[n], sum(bits) / len(text), places=12)
        self.assertLess(model.bpc(text, (3,))[3], cb.Unigram(TOY, vocab).bpc(text))
        with self.assertRaises(ValueError):
            model.bpc(text, (4,))


class MainTest(unittest.TestCase):
    def test_prints_the_table_and_the_chosen_order(self):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = pathlib.Path(tmp)
            (tmp / "train.txt").write_text(TOY * 3, encoding="utf-8")
            (tmp / "valid.txt").write_text("the white whale\nshe blows\n", encoding="utf-8")
            (tmp / "test.txt").write_text("thar she blows\u00a7\n", encoding="utf-8")
            argv = ["char_ngram_bpc.py", "--orders", "3,2"] + [
                arg for split in ("train", "valid", "test")
                for arg in (f"--{split}", str(tmp / f"{split}.txt"))]
            log = io.StringIO()
            with mock.patch.object(sys, "argv", argv), contextlib.redirect_stdout(log):
                cb.main()
        out = log.getvalue()
        self.assertIn("test: 16 characters, 1 not seen in train", out)
        rows = [line for line in out.splitlines() if line.startswith("| ")]
        self.assertEqual([row.split(" | ")[:2] for row in rows],
                         [["| model", "order"], ["| unigram (add-one)", "1"], ["| KN", "2"],
                          ["| KN", "3"]])
        self.assertIn("valid picks KN order", out)


if __name__ == "__main__":
    unittest.main()
