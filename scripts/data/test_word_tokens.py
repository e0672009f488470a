"""Tests for the shared word tokenization rule (word_tokens.py).

    /usr/bin/python3 -m unittest discover -s scripts/data -p 'test_*.py'
"""

import pathlib
import random
import string
import sys
import unittest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import word_tokens  # noqa: E402


def reference_tokens(text):
    """The rule written out character by character, as a C++ loop would."""
    result, current = [], ""
    for c in text:
        if "A" <= c <= "Z":
            c = chr(ord(c) + 32)
        if c.isspace() or c in string.punctuation:
            if current:
                result.append(current)
            current = ""
            if not c.isspace():
                result.append(c)
        else:
            current += c
    if current:
        result.append(current)
    return result


class WordTokensTest(unittest.TestCase):
    def test_examples(self):
        cases = {
            "Don't buy it!!": ["don", "'", "t", "buy", "it", "!", "!"],
            "e-mail: <a@b.c>": ["e", "-", "mail", ":", "<", "a", "@", "b", ".", "c", ">"],
            "  Two\tspaces\n": ["two", "spaces"],
            "Café ÉTÉ": ["café", "ÉtÉ"],
            "“Quoted” … 10,5%": ["“quoted”", "…", "10", ",", "5", "%"],
            "a\u00a0b\u3000c\u2028d\x1ce\x85f": ["a", "b", "c", "d", "e", "f"],
            "x\u200by": ["x\u200by"],  # zero-width space is not whitespace
            "": [],
            "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~": list(string.punctuation),
        }
        for text, expected in cases.items():
            self.assertEqual(word_tokens.tokens(text), expected, repr(text))

    def test_whitespace_set_is_str_isspace(self):
        spaces = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
        self.assertEqual(word_tokens.WHITESPACE, spaces)
        self.assertEqual(len(word_tokens.PUNCTUATION), 32)

    def test_matches_the_character_loop_on_random_text(self):
        alphabet = ("aZ9" + string.punctuation + " \t\n\x1f\x85\xa0\u2003\u3000"
                    + "éÉß“…\u200b\U0001f600")
        rng = random.Random(1)
        for _ in range(2000):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(20)))
            self.assertEqual(word_tokens.tokens(text), reference_tokens(text), repr(text))

    def test_options(self):
        self.assertEqual(word_tokens.tokens("Don't GO", lower=False), ["Don", "'", "t", "GO"])
        self.assertEqual(word_tokens.tokens("Don't go!", split_punctuation=False),
                         ["don't", "go!"])

    def test_is_token(self):
        for symbol in ("good", "don", "!", "“", "café"):
            self.assertTrue(word_tokens.is_token(symbol), symbol)
        for symbol in ("well-known", "u.s.", "Good", "", "a b", "'s"):
            self.assertFalse(word_tokens.is_token(symbol), symbol)


if __name__ == "__main__":
    unittest.main()
