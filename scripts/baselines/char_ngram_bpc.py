#!/usr/bin/python3
"""Character language-model baselines: bits per character (bpc) of an add-one
unigram and of interpolated Kneser-Ney character n-gram models. A character
model that does not beat the best n-gram has learned little beyond the last few
characters.

  /usr/bin/python3 scripts/baselines/char_ngram_bpc.py \\
      [--train data/moby-dick/train.txt] [--valid data/moby-dick/valid.txt] \\
      [--test data/moby-dick/test.txt] [--orders 2,3,4,5,6,7,8] [--discount D]

Characters are what recur's char language model predicts: a file is read line by
line (lines end at "\\n"; a trailing "\\r" is dropped; a last line without "\\n"
still counts), each line's Unicode code points are characters, then its end is
one more character (recur's end-of-line token), so a file has code points +
lines characters. The context runs across line ends (a line end is a context
character); before a file's first character the context is line ends, as if the
file followed an empty line. Vocabulary: every character of train, the line end
and one unknown symbol to which the characters of valid/test not seen in train
are mapped before scoring (their count is printed). bpc = -sum log2 p / characters.

- unigram: add-one smoothed train frequencies, (count + 1) / (characters + V).
- KN n: interpolated modified Kneser-Ney (Chen and Goodman 1998) of order n, with
  the n-1 previous characters as context. The top order uses counts, lower orders
  continuation counts (the number of distinct characters seen before the n-gram);
  each order has three discounts D1, D2, D3+ for n-grams seen once, twice, 3+ times,
  estimated from that order's count-of-counts (Y = n1/(n1+2n2), Dk = k-(k+1)Y
  n(k+1)/nk); order 0 is uniform over the vocabulary:

      p(w|h) = (max(c(hw) - D(c(hw)), 0) + (D1 N1(h.) + D2 N2(h.) + D3 N3+(h.)) p(w|h'))
               / c(h)

  where h' drops h's first character and Nk(h.) counts characters seen k times (3+)
  after h; a context never seen is skipped (p(w|h) = p(w|h')). This sums to 1 over
  the vocabulary for every context. --discount D uses plain interpolated KN instead
  (one discount D for every count).

Prints a markdown table of valid and test bpc for every order and which order
valid picks (lowest valid bpc). Standard library only; about a minute for 1.1 M
train characters and orders up to 8.
"""

import argparse
import collections
import math
import pathlib
import sys
import time

DATA = pathlib.Path(__file__).resolve().parents[2] / "data" / "moby-dick"
NEWLINE = "\n"


def read_chars(path):
    """A file as the character stream recur predicts: each line's code points,
    then "\\n". Invalid UTF-8 is an error, as it is for recur."""
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    if not text:
        return ""
    lines = text.removesuffix("\n").split("\n")
    return "".join(line.removesuffix("\r") + NEWLINE for line in lines)


def vocabulary(train):
    """(sorted symbols, unknown symbol): the characters of train, the line end and
    an unknown symbol (the first code point from U+E000 that train lacks)."""
    symbols = set(train) | {NEWLINE}
    unknown = next(chr(c) for c in range(0xE000, 0x110000) if chr(c) not in symbols)
    return sorted(symbols) + [unknown], unknown


def map_unknown(text, vocab, unknown):
    """(text with every character outside vocab replaced by unknown, how many)."""
    known = set(vocab)
    mapped = "".join(c if c in known else unknown for c in text)
    return mapped, sum(c not in known for c in text)


def bits(probability):
    return -math.log2(probability)


class Unigram:
    """Add-one smoothed character frequencies of train."""

    def __init__(self, train, vocab):
        self.counts = collections.Counter(train)
        self.denominator = len(train) + len(vocab)

    def prob(self, symbol):
        return (self.counts[symbol] + 1) / self.denominator

    def bpc(self, text):
        return sum(bits(self.prob(c)) for c in text) / len(text)


def modified_discounts(counts):
    """(D1, D2, D3+) of Chen and Goodman from the count-of-counts of counts.values();
    (0.5, 1.0, 1.5) when the statistics are too thin (a toy text) to give
    0 < Dk <= k."""
    n = collections.Counter(min(c, 5) for c in counts.values())
    if all(n[k] > 0 for k in (1, 2, 3, 4)):
        y = n[1] / (n[1] + 2 * n[2])
        d = tuple(k - (k + 1) * y * n[k + 1] / n[k] for k in (1, 2, 3))
        if all(0 < dk <= k for k, dk in zip((1, 2, 3), d)):
            return d
    return (0.5, 1.0, 1.5)


class KneserNey:
    """Interpolated (modified) Kneser-Ney character models of every order up to
    max_order, sharing their lower-order continuation counts."""

    def __init__(self, train, vocab, max_order, discount=None):
        if max_order < 1:
            raise ValueError("max_order must be at least 1")
        self.vocab_size = len(vocab)
        self.max_order = max_order
        self.pad = NEWLINE * (max_order - 1)
        text = self.pad + train
        first = len(self.pad)  # index of the first predicted character
        # raw[k]: count of each k-gram ending at a predicted character.
        self.raw = [None] + [collections.Counter(text[i - k + 1:i + 1]
                                                 for i in range(first, len(text)))
                             for k in range(1, max_order + 1)]
        # cont[k], k < max_order: distinct characters seen before each k-gram.
        self.cont = [None] + [collections.Counter(g[1:] for g in self.raw[k + 1])
                              for k in range(1, max_order)]

        def level(counts):
            d = (discount,) * 3 if discount is not None else modified_discounts(counts)
            context = collections.defaultdict(lambda: [0, 0.0])  # total, gamma numerator
            for gram, c in counts.items():
                stats = context[gram[:-1]]
                stats[0] += c
                stats[1] += d[min(c, 3) - 1]
            return (0.0,) + d, {h: tuple(s) for h, s in context.items()}

        self.raw_levels = [None] + [level(self.raw[k]) for k in range(1, max_order + 1)]
        self.cont_levels = [None] + [level(self.cont[k]) for k in range(1, max_order)]

    def discounts(self, order):
        """(D1, D2, D3+) of the top level of the order-n model."""
        return self.raw_levels[order][0][1:]

    @staticmethod
    def _interpolate(lower, counts, level, context, symbol):
        discounts, contexts = level
        stats = contexts.get(context)
        if stats is None:
            return lower
        c = counts.get(context + symbol, 0)
        return (max(c - discounts[min(c, 3)], 0.0) + stats[1] * lower) / stats[0]

    def probs(self, symbol, history, orders):
        """{n: p(symbol | the last n-1 characters of history)} for n in orders;
        history holds at least max(orders) - 1 characters."""
        result = {}
        p = 1.0 / self.vocab_size  # order 0: uniform
        top = max(orders)
        for k in range(1, top + 1):
            context = history[len(history) - k + 1:] if k > 1 else ""
            if k in orders:
                result[k] = self._interpolate(p, self.raw[k], self.raw_levels[k], context, symbol)
            if k < top:
                p = self._interpolate(p, self.cont[k], self.cont_levels[k], context, symbol)
        return result

    def prob(self, symbol, history, order):
        return self.probs(symbol, history, (order,))[order]

    def bpc(self, text, orders):
        """{n: bits per character of text} for n in orders; the text is scored
        from a context of line ends."""
        orders = tuple(orders)
        if max(orders) > self.max_order:
            raise ValueError(f"order {max(orders)} above the model's {self.max_order}")
        total = dict.fromkeys(orders, 0.0)
        padded = self.pad + text
        width = max(orders) - 1
        for i in range(len(self.pad), len(padded)):
            for n, p in self.probs(padded[i], padded[i - width:i], orders).items():
                total[n] -= math.log2(p)
        return {n: total[n] / len(text) for n in orders}


def parse_orders(value):
    orders = sorted({int(v) for v in value.split(",") if v.strip()})
    if not orders or orders[0] < 1:
        raise argparse.ArgumentTypeError("orders are integers >= 1, e.g. 2,3,4")
    return orders


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=pathlib.Path, default=DATA / "train.txt")
    parser.add_argument("--valid", type=pathlib.Path, default=DATA / "valid.txt")
    parser.add_argument("--test", type=pathlib.Path, default=DATA / "test.txt")
    parser.add_argument("--orders", type=parse_orders, default=parse_orders("2,3,4,5,6,7,8"),
                        help="comma-separated n-gram orders (default 2,...,8)")
    parser.add_argument("--discount", type=float,
                        help="plain interpolated KN with this discount for every count "
                             "(default: modified KN, three discounts per order)")
    args = parser.parse_args()
    if args.discount is not None and not 0 < args.discount <= 1:
        parser.error("--discount must be in (0, 1]")
    start = time.monotonic()

    train = read_chars(args.train)
    vocab, unknown = vocabulary(train)
    splits = {}
    for name, path in (("valid", args.valid), ("test", args.test)):
        splits[name], unknowns = map_unknown(read_chars(path), vocab, unknown)
        if not splits[name]:
            sys.exit(f"error: {path} is empty")
        print(f"{name}: {len(splits[name]):,} characters, {unknowns} not seen in train "
              f"(scored as the unknown symbol)")
    print(f"train: {len(train):,} characters; vocabulary {len(vocab)} "
          f"({len(vocab) - 2} other train characters + line end + unknown)")

    unigram = Unigram(train, vocab)
    model = KneserNey(train, vocab, max(args.orders), args.discount)
    print(f"counted in {time.monotonic() - start:.1f} s")
    scores = {name: model.bpc(text, args.orders) for name, text in splits.items()}
    kind = "KN" if args.discount is None else f"KN (D={args.discount:g})"
    rows = [("unigram (add-one)", 1, unigram.bpc(splits["valid"]), unigram.bpc(splits["test"]))]
    rows += [(kind, n, scores["valid"][n], scores["test"][n]) for n in args.orders]
    print()
    print("| model | order | valid bpc | test bpc |")
    print("|---|---:|---:|---:|")
    for name, n, valid, test in rows:
        print(f"| {name} | {n} | {valid:.4f} | {test:.4f} |")
    best = min(args.orders, key=lambda n: (scores["valid"][n], n))
    print()
    print(f"valid picks {kind} order {best}: valid {scores['valid'][best]:.4f}, "
          f"test {scores['test'][best]:.4f} bpc")
    if args.discount is None:
        d = ", ".join(f"{x:.3f}" for x in model.discounts(best))
        print(f"(order {best} top-level discounts D1, D2, D3+: {d})")
    print(f"{time.monotonic() - start:.1f} s")


if __name__ == "__main__":
    main()
