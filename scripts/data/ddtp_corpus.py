"""Parsing, segmentation, pairing and splitting of Debian translated package
descriptions (DDTP). Pure functions, no I/O besides reading text that the caller
hands over; build_ddtp_corpus.py drives apt and writes the files.

A Translation-xx file is a sequence of deb822 stanzas:

    Package: 0ad
    Description-md5: d943033bedada21853d2ae54a2578a7b
    Description-fr: short description
     long description line
     .
     next paragraph

Description-md5 is the md5 of the English description, so a French stanza and an
English stanza with the same md5 describe the same text.
"""

import collections
import hashlib
import re
import unicodedata

Description = collections.namedtuple("Description", "package short paragraphs")

# A list item starts with one of these markers followed by whitespace:
# * + - o and typographic bullets, an escaped \*, "1." "1)" "(1)" and "a)".
_BULLET = re.compile(r"^(?:[*+\-o\u2022\u00b7\u25e6\u2023\u25aa\u2013]|\\\*"
                     r"|\d{1,2}[.)]|\(\d{1,2}\)|[a-z]\))\s+(?=\S)")
_DROP_CHARS = dict.fromkeys(map(ord, "\ufffc\ufeff\u200b\u00ad"), None)

MAX_SEGMENT_WORDS = 80
MAX_SEGMENT_CHARS = 600
MAX_SUMMARY_SOURCE_WORDS = 400
MIN_LETTER_RATIO = 0.5
MAX_LENGTH_RATIO = 3.0


class ParseError(ValueError):
    """Malformed stanza text; the message names the file and line."""


def parse_stanzas(text, name="<text>"):
    """Yields (line_number, {field: [first_line, continuation...]}) per stanza.

    Continuation lines keep their leading whitespace (it marks list items and
    verbatim text); field names are case-folded as deb822 says they are
    case-insensitive.
    """
    fields, start, last = {}, 0, None
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip(" \t\r"):
            if fields:
                yield start, fields
            fields, last = {}, None
            continue
        if line[0] in " \t":
            if last is None:
                raise ParseError(f"{name}:{number}: continuation line outside a field")
            fields[last].append(line)
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip() or " " in key.strip():
            raise ParseError(f"{name}:{number}: expected 'Field: value', got {line[:60]!r}")
        if not fields:
            start = number
        last = key.strip().lower()
        if last in fields:
            raise ParseError(f"{name}:{number}: duplicate field '{key.strip()}'")
        fields[last] = [value.strip()]
    if fields:
        yield start, fields


def parse_translation(text, lang, name="<text>"):
    """Returns {md5: Description} for the Description-<lang> stanzas of one file.

    The first stanza of an md5 wins; later packages sharing it are the same text.
    """
    key = "description-" + lang.lower()
    result = {}
    for line, fields in parse_stanzas(text, name):
        for required in ("package", "description-md5", key):
            if required not in fields:
                raise ParseError(f"{name}:{line}: stanza lacks field "
                                 f"'{required}' (language '{lang}')")
        md5 = fields["description-md5"][0].lower()
        if not re.fullmatch(r"[0-9a-f]{32}", md5):
            raise ParseError(f"{name}:{line}: Description-md5 is not 32 hex digits: {md5!r}")
        if md5 in result:
            continue
        body = fields[key]
        result[md5] = Description(fields["package"][0], body[0], split_paragraphs(body[1:]))
    return result


def split_paragraphs(lines):
    """Continuation lines -> list of paragraphs, each a list of raw lines.

    A line that is a lone "." separates paragraphs, and so does one holding only
    Unicode spaces (translators sometimes type a no-break space for the dot);
    empty paragraphs vanish.
    """
    paragraphs, current = [], []
    for line in lines:
        if line.strip() in (".", ""):
            if current:
                paragraphs.append(current)
            current = []
        else:
            current.append(line)
    if current:
        paragraphs.append(current)
    return paragraphs


def normalise(text):
    """One line of clean text: NFC, control and invisible characters removed,
    every run of Unicode whitespace (tabs, U+2028, ...) collapsed to one space."""
    text = unicodedata.normalize("NFC", text).translate(_DROP_CHARS)
    if not text.isprintable():
        text = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c
                       for c in text)
    return " ".join(text.split())


def segment_paragraph(lines):
    """Raw paragraph lines -> list of (kind, text) blocks, kind 'prose' or 'item'.

    A line starting with a bullet opens an item (marker dropped). A later line
    indented deeper than that marker continues the item; a line at or left of
    the marker closes the list. Outside lists, lines join into one prose block
    while their indentation class (one space: filled text, more: verbatim such
    as code or tables) stays the same, so wrapped sentences become one segment
    and a code example does not swallow the sentence introducing it.
    """
    blocks, marker_indent, verbatim = [], None, None
    for line in lines:
        indent = len(line) - len(line.lstrip())
        text = line.strip()
        bullet = _BULLET.match(text)
        if bullet:
            blocks.append(["item", text[bullet.end():]])
            marker_indent, verbatim = indent, None
        elif marker_indent is not None and indent > marker_indent:
            blocks[-1][1] += " " + text
        elif verbatim is not None and verbatim == (indent > 1):
            blocks[-1][1] += " " + text
        else:
            blocks.append(["prose", text])
            marker_indent, verbatim = None, indent > 1
    blocks = [(kind, normalise(text)) for kind, text in blocks]
    return [(kind, text) for kind, text in blocks if text]


def is_clean_segment(text, max_words=MAX_SEGMENT_WORDS, max_chars=MAX_SEGMENT_CHARS):
    """Keeps natural-language segments of sane length; drops code, tables, URLs."""
    if not text or len(text) > max_chars or len(text.split()) > max_words:
        return False
    visible = [c for c in text if not c.isspace()]
    letters = sum(c.isalpha() for c in visible)
    return letters >= 2 and letters >= MIN_LETTER_RATIO * len(visible)


def is_clean_pair(src, tgt):
    """Both sides clean, actually translated, and of plausible relative length."""
    if src == tgt or not is_clean_segment(src) or not is_clean_segment(tgt):
        return False
    longer, shorter = max(len(src), len(tgt)), min(len(src), len(tgt))
    return (longer + 10) <= MAX_LENGTH_RATIO * (shorter + 10)


def aligned_segments(en, xx):
    """Yields (en_text, xx_text) for one description pair.

    Short descriptions always pair. Long descriptions pair paragraph by paragraph
    only when both have the same number of paragraphs, and inside a paragraph
    block by block only when the block counts and kinds agree; otherwise that
    paragraph is skipped (a reflowed list would misalign every later item).
    """
    yield normalise(en.short), normalise(xx.short)
    if len(en.paragraphs) != len(xx.paragraphs):
        return
    for en_par, xx_par in zip(en.paragraphs, xx.paragraphs):
        en_blocks, xx_blocks = segment_paragraph(en_par), segment_paragraph(xx_par)
        if [k for k, _ in en_blocks] != [k for k, _ in xx_blocks]:
            continue
        for (_, en_text), (_, xx_text) in zip(en_blocks, xx_blocks):
            yield en_text, xx_text


def translation_pairs(english, foreign):
    """{md5: Description} x 2 -> clean, deduplicated (en, xx) pairs, in md5 order."""
    pairs, seen = [], set()
    for md5 in sorted(foreign.keys() & english.keys()):
        for pair in aligned_segments(english[md5], foreign[md5]):
            if pair not in seen and is_clean_pair(*pair):
                seen.add(pair)
                pairs.append(pair)
    return pairs


def render_long(description):
    """The whole long description on one line; list items keep a '*' marker so
    the structure survives flattening."""
    parts = []
    for paragraph in description.paragraphs:
        for kind, text in segment_paragraph(paragraph):
            parts.append("* " + text if kind == "item" else text)
    return " ".join(parts)


def summary_pairs(english):
    """{md5: Description} -> (long description, short description) pairs.

    One pair per distinct long description: packages that share a long text but
    differ in the short one (foo, foo-data, ...) keep the shortest short text,
    ties broken alphabetically, so the choice does not depend on file order.
    """
    best = {}
    for description in english.values():
        src, tgt = render_long(description), normalise(description.short)
        words = len(src.split())
        if not tgt or words == 0 or words > MAX_SUMMARY_SOURCE_WORDS:
            continue
        if len(tgt) >= len(src) or sum(c.isalpha() for c in tgt) < 2:
            continue
        if src not in best or (len(tgt), tgt) < (len(best[src]), best[src]):
            best[src] = tgt
    return sorted(best.items())


def source_key(source):
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def split_pairs(pairs, n_test, n_valid):
    """Deterministic split by a hash of the source side.

    Sources are ordered by sha256; the first ones go to test until it holds at
    least n_test pairs, the next to valid, the rest to train. All pairs of one
    source land in the same split, and the train order is the (pseudo-random)
    hash order, independent of the input order.
    """
    by_source = collections.defaultdict(list)
    for src, tgt in pairs:
        by_source[src].append(tgt)
    splits = {"test": [], "valid": [], "train": []}
    for src in sorted(by_source, key=lambda s: (source_key(s), s)):
        if len(splits["test"]) < n_test:
            name = "test"
        elif len(splits["valid"]) < n_valid:
            name = "valid"
        else:
            name = "train"
        splits[name].extend((src, tgt) for tgt in sorted(by_source[src]))
    return splits
