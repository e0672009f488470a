"""Joining emoji images to their captions and splitting them by art style.
Pure functions, no I/O; build_emoji_corpus.py fetches the packages and writes
the files.

Images are named by code points (`1f469-200d-1f4bb.png`, `0023-fe0f-20e3.png`);
emojibase names the same emoji by `hexcode` (`1F469-200D-1F4BB`). Both sides are
compared as a *key*: lowercase hex with the FE0F variation selector dropped,
since the two projects disagree on where FE0F is written.
"""

import collections
import hashlib
import struct
import unicodedata

SETS = ("google", "twitter")
SPLIT_SEED = "recur-emoji-split-v1"

# Shares of the emoji whose drawing in one set is held out (keyed by the split
# the held-out drawing goes to and the set it comes from); the other set's
# drawing of the same emoji goes to train. Everything else is train in both.
HELD_OUT = (("test", "twitter", 0.10), ("test", "google", 0.10),
            ("valid", "twitter", 0.05), ("valid", "google", 0.05))

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class DataError(ValueError):
    """Input that breaks an assumption of the corpus; the message says which."""


def key(codepoints):
    """'1F469-200D-1F4BB' or '0023-fe0f-20e3' -> '1f469-200d-1f4bb' / '0023-20e3'."""
    parts = [p for p in codepoints.lower().split("-") if p and p != "fe0f"]
    for part in parts:
        if not all(c in "0123456789abcdef" for c in part):
            raise DataError(f"not a code point sequence: {codepoints!r}")
    return "-".join(parts)


def normalise_caption(label):
    """NFC and every run of whitespace collapsed to one space. Case and
    punctuation are kept ('flag: Egypt'): the metrics lowercase and tokenise
    for themselves, and a model may as well learn to write the label as is."""
    return " ".join(unicodedata.normalize("NFC", label).split())


def captions(emojibase):
    """emojibase en/data.json (a list of emoji) -> {key: caption}, skin-tone
    variants (`skins[]`, each with its own hexcode) included."""
    result = {}
    for emoji in emojibase:
        for entry in [emoji] + list(emoji.get("skins", [])):
            k = key(entry["hexcode"])
            caption = normalise_caption(entry["label"])
            if not caption:
                raise DataError(f"{entry['hexcode']}: empty label")
            if result.get(k, caption) != caption:
                raise DataError(f"{k}: two labels {result[k]!r} and {caption!r}")
            result[k] = caption
    return result


def png_info(data, name):
    """(width, height, colour type) from a PNG's IHDR; DataError if not a PNG."""
    if data[:8] != PNG_SIGNATURE or data[12:16] != b"IHDR" or len(data) < 33:
        raise DataError(f"{name}: not a PNG file")
    width, height, _, colour = struct.unpack(">IIBB", data[16:26])
    return width, height, colour


def unit_hash(k):
    """A fixed pseudo-random number in [0, 1) per emoji key, independent of
    the other emoji (so a new package version does not reshuffle old ones)."""
    digest = hashlib.sha256(f"{SPLIT_SEED}:{k}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2.0 ** 64


def held_out(k):
    """(split, set) whose drawing of emoji k is held out, or None."""
    h, start = unit_hash(k), 0.0
    for split, style, share in HELD_OUT:
        if start <= h < start + share:
            return split, style
        start += share
    return None


Join = collections.namedtuple("Join", "rows uncaptioned captionless")


def join(images, caption_of):
    """images: {set: {key: file name}}; caption_of: {key: caption}.

    Returns Join: `rows` are (key, set, file name, caption) for every image
    with a caption; `uncaptioned` the (set, file name) of images without one;
    `captionless` the caption keys with no image in any set."""
    rows, uncaptioned, drawn = [], [], set()
    for style in sorted(images):
        for k, name in sorted(images[style].items()):
            drawn.add(k)
            if k in caption_of:
                rows.append((k, style, name, caption_of[k]))
            else:
                uncaptioned.append((style, name))
    return Join(rows, uncaptioned, sorted(set(caption_of) - drawn))


def split_rows(rows):
    """Rows -> {'train': [...], 'valid': [...], 'test': [...]}.

    An emoji drawn in both sets may be held out (see HELD_OUT): its drawing in
    one set goes to valid or test, the other set's drawing to train, so the
    caption is known but this art style of the emoji is not. An emoji with a
    single drawing always goes to train. Each split is ordered by a hash of
    its image path: a fixed shuffle, the same on every run."""
    styles = collections.defaultdict(set)
    for k, style, _, _ in rows:
        styles[k].add(style)
    splits = {"train": [], "valid": [], "test": []}
    for row in rows:
        k, style = row[0], row[1]
        hold = held_out(k) if len(styles[k]) > 1 else None
        splits[hold[0] if hold and hold[1] == style else "train"].append(row)
    for split in splits.values():
        split.sort(key=lambda r: hashlib.sha256(f"{r[1]}/{r[2]}".encode()).digest())
    return splits
