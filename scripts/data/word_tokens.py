"""The word tokenization rule of recur's `whitespace` tokenizer with the options
`lowercase: true` and `split_punctuation: true`. Every script that counts, looks up
or classifies words (vocab.txt, glove100.txt, the classification baselines) uses
this module, so the C++ tokenizer and the scripts agree token for token.

The rule, applied to a line of UTF-8 text:

1. Lowercase: the ASCII letters A-Z become a-z; every other character, accented
   and non-Latin letters included, is unchanged ("Café ÉTÉ" -> "café ÉtÉ").
2. Whitespace separates tokens and is never part of one. Whitespace is exactly
   the set of characters for which Python's `str.isspace()` is true:
   U+0009-U+000D, U+001C-U+001F, U+0020, U+0085, U+00A0, U+1680, U+2000-U+200A,
   U+2028, U+2029, U+202F, U+205F, U+3000 (listed in WHITESPACE below).
3. Each ASCII punctuation character -- Python's `string.punctuation`, the 32
   characters !"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ -- is a token by itself; a
   maximal run of other non-whitespace characters is one token. Non-ASCII
   punctuation (curly quotes, dashes, ellipsis, ...) is an ordinary character.

Example: "Don't buy it!!" -> don ' t buy it ! !
         "e-mail: <a@b.c>"  -> e - mail : < a @ b . c >
No token is empty or contains whitespace.
"""

import re
import string
import sys

WHITESPACE = frozenset(
    "\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    + "".join(chr(c) for c in range(0x2000, 0x200b))
    + "\u2028\u2029\u202f\u205f\u3000")
PUNCTUATION = frozenset(string.punctuation)

_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_PUNCTUATION_SPLIT = re.compile("([" + re.escape(string.punctuation) + "])")


def lowercase(text):
    """ASCII-only lowercasing: A-Z -> a-z, nothing else changes."""
    return text.translate(_LOWER)


def tokens(text, lower=True, split_punctuation=True):
    """The tokens of one line under the rule in the module docstring."""
    if lower:
        text = lowercase(text)
    result = []
    for chunk in text.split():  # str.split() splits exactly on str.isspace()
        if split_punctuation:
            result.extend(piece for piece in _PUNCTUATION_SPLIT.split(chunk) if piece)
        else:
            result.append(chunk)
    return result


def is_token(symbol):
    """True when the tokenizer can produce symbol as one token."""
    return tokens(symbol, lower=False) == [symbol] and lowercase(symbol) == symbol


def main():
    """Tokenizes stdin line by line: `python3 word_tokens.py < text`."""
    for line in sys.stdin:
        print(" ".join(tokens(line)))


if __name__ == "__main__":
    main()
