#!/usr/bin/python3
"""Nearest-neighbour captioning baseline: each test image gets the caption of the training
image closest to it in pixels (Euclidean distance over RGB values in [0, 1], transparent
pixels composited onto white as the captioning pipeline does, images resized to SIZE x
SIZE with a box filter). A captioning model that does not beat this has learned nothing
beyond pixel matching.

  /usr/bin/python3 scripts/baselines/caption_nearest.py \\
      --train data/emoji/train.tsv --test data/emoji/test.tsv -o nearest.tsv
  recur eval --format tsv --metric exact --metric bleu --metric cider \\
      --ref data/emoji/test.tsv nearest.tsv

Input TSVs are `path<TAB>caption` with paths relative to the TSV's folder; the output is
`path<TAB>caption` in the test file's order, its paths as written there. Needs
python3-numpy and python3-pil (Debian).
"""

import argparse
import os
import sys

import numpy as np
from PIL import Image


def read_tsv(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line:
                continue
            if "\t" not in line:
                sys.exit(f"{path}:{number}: expected 'path<TAB>caption'")
            image, caption = line.split("\t", 1)
            rows.append((image, " ".join(caption.split())))
    return rows


def pixels(path, size):
    with Image.open(path) as im:
        rgba = im.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    rgb = Image.alpha_composite(white, rgba).convert("RGB")
    if rgb.size != (size, size):
        rgb = rgb.resize((size, size), Image.BOX)
    return np.asarray(rgb, dtype=np.float32).reshape(-1) / 255.0


def load(tsv, size):
    base = os.path.dirname(tsv)
    rows = read_tsv(tsv)
    images = np.stack([pixels(os.path.join(base, p), size) for p, _ in rows])
    return rows, images


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("-o", "--output", default="-")
    ap.add_argument("--size", type=int, default=64)
    args = ap.parse_args(argv)

    train_rows, train = load(args.train, args.size)
    test_rows, test = load(args.test, args.size)
    # |a - b|^2 = |a|^2 + |b|^2 - 2 a.b, in blocks of test images.
    train_sq = (train * train).sum(axis=1)
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    for start in range(0, len(test_rows), 256):
        block = test[start:start + 256]
        d = train_sq[None, :] - 2.0 * block @ train.T
        nearest = d.argmin(axis=1)
        for k, j in enumerate(nearest):
            out.write(f"{test_rows[start + k][0]}\t{train_rows[j][1]}\n")
    if out is not sys.stdout:
        out.close()
    print(f"nearest neighbour: {len(test_rows)} test images against {len(train_rows)} "
          f"training images", file=sys.stderr)


if __name__ == "__main__":
    main()
