#!/usr/bin/python3
"""Builds the emoji captioning corpus: 64x64 Google (Noto) and Twitter (Twemoji)
drawings from emoji-datasource, captioned with emojibase's English labels.

    /usr/bin/python3 scripts/data/build_emoji_corpus.py [--out DIR] [--cache DIR]

The three pinned npm packages are fetched with `npm pack NAME@VERSION` into the
cache directory (default OUT/npm) and checked against their pinned sha512; a
cached tarball that matches is used without running npm. Images are copied out
of the tarballs (only files whose bytes changed are rewritten), so a rerun gives
byte-identical output. See data/README.md for what is written.
"""

import argparse
import base64
import collections
import hashlib
import json
import os
import pathlib
import subprocess
import sys
import tarfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import emoji_corpus  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parents[2]
IMAGE_SIZE = 64

Package = collections.namedtuple("Package", "name version integrity")
EMOJIBASE = Package("emojibase-data", "17.0.0", "sha512-Yvgb5AWoHViHV/gq1qr5ZAarcBip+B27/ZL"
                    "RsUJkbgAEaLlZ/fof9g882LTpmEpyhBNEC0m2SEmItljHsTygjA==")
IMAGES = {
    "google": Package("emoji-datasource-google", "16.0.0", "sha512-ZRexfzs7MVoLnmzZmNsO4TKhn"
                      "AJp5D++Vm6PpUpH/jEQQlemp3l88CjZ+DoZ2faM9R4QxZkOPJCoT8DlPhfQ3A=="),
    "twitter": Package("emoji-datasource-twitter", "16.0.0", "sha512-7F+uCuHH+7Qnrc15P5tnbvK"
                       "kg9E6tlzi4MnT2uW1RlN4pLYTza6cP/dstIfSDMtpjFLWuZewWg8jBbuL2eyELQ=="),
}


def integrity(path):
    """npm's Subresource Integrity string of a file: sha512-<base64 digest>."""
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode()


def tarball_name(package):
    """The file `npm pack` writes: NAME-VERSION.tgz, a scoped @scope/name as
    scope-name-VERSION.tgz."""
    return f"{package.name.removeprefix('@').replace('/', '-')}-{package.version}.tgz"


def fetch(package, cache):
    """The package's tarball in cache, from `npm pack` unless a cached copy
    already has the pinned integrity. Exits if the bytes do not match the pin."""
    tarball = cache / tarball_name(package)
    if tarball.exists() and integrity(tarball) == package.integrity:
        return tarball
    cache.mkdir(parents=True, exist_ok=True)
    command = ["npm", "pack", f"{package.name}@{package.version}", "--silent",
               "--pack-destination", str(cache)]
    print("+ " + " ".join(command), flush=True)
    try:
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f"error: cannot fetch {package.name}@{package.version} with npm: {e}")
    actual = integrity(tarball) if tarball.exists() else "no file"
    if actual != package.integrity:
        sys.exit(f"error: {tarball}: integrity {actual}, pinned {package.integrity}")
    return tarball


def read_captions(tarball):
    with tarfile.open(tarball) as tar:
        return emoji_corpus.captions(json.load(tar.extractfile("package/en/data.json")))


def read_images(tarball, style):
    """{key: (file name, PNG bytes)} of img/<style>/64/*.png in the tarball."""
    prefix = f"package/img/{style}/{IMAGE_SIZE}/"
    images, colours = {}, collections.Counter()
    with tarfile.open(tarball) as tar:
        for member in tar:
            if not (member.isfile() and member.name.startswith(prefix)
                    and member.name.endswith(".png")):
                continue
            name = member.name[len(prefix):]
            data = tar.extractfile(member).read()
            width, height, colour = emoji_corpus.png_info(data, f"{tarball}:{member.name}")
            if (width, height) != (IMAGE_SIZE, IMAGE_SIZE):
                sys.exit(f"error: {tarball}:{member.name}: {width}x{height}, not 64x64")
            k = emoji_corpus.key(name[:-len(".png")])
            if k in images:
                sys.exit(f"error: {tarball}: {images[k][0]} and {name} are one emoji")
            images[k] = (name, data)
            colours[colour] += 1
    if not images:
        sys.exit(f"error: {tarball}: no {prefix}*.png")
    return images, colours


def write_if_changed(path, data):
    """Writes only when the bytes differ, so a rerun touches nothing."""
    if path.exists() and path.read_bytes() == data:
        return False
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return True


def write_images(out, images, rows):
    """Copies the captioned images to out/images/<set>/ and removes PNGs a
    previous run left there that are no longer part of the corpus."""
    written = 0
    for style in images:
        folder = out / "images" / style
        folder.mkdir(parents=True, exist_ok=True)
        wanted = {name for _, s, name, _ in rows if s == style}
        for stale in folder.glob("*.png"):
            if stale.name not in wanted:
                stale.unlink()
        for k, (name, data) in images[style].items():
            if name in wanted:
                written += write_if_changed(folder / name, data)
    return written


def tsv_lines(rows):
    lines = []
    for _, style, name, caption in rows:
        if "\t" in caption or "\n" in caption:
            raise emoji_corpus.DataError(f"{name}: caption holds a tab or newline")
        lines.append(f"images/{style}/{name}\t{caption}\n")
    return "".join(lines).encode("utf-8")


def report(splits):
    for split, rows in splits.items():
        words = {w for row in rows for w in row[3].split()}
        per_set = collections.Counter(row[1] for row in rows)
        sets = "  ".join(f"{s} {per_set[s]}" for s in sorted(per_set))
        print(f"{split:5s} {len(rows):5d} images ({sets}), {len({r[0] for r in rows})} emoji, "
              f"{len(words)} distinct words")
    everything = [row for rows in splits.values() for row in rows]
    lengths = [len(row[3].split()) for row in everything]
    print(f"all   {len({w for r in everything for w in r[3].split()})} distinct words, "
          f"captions of {min(lengths)}..{max(lengths)} words "
          f"(mean {sum(lengths) / len(lengths):.2f})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=pathlib.Path, default=REPO / "data" / "emoji",
                        help="output directory (default: data/emoji in the repository)")
    parser.add_argument("--cache", type=pathlib.Path,
                        help="where the npm tarballs are kept (default: OUT/npm)")
    args = parser.parse_args()
    start = time.monotonic()
    cache = (args.cache or args.out / "npm").resolve()

    caption_of = read_captions(fetch(EMOJIBASE, cache))
    images = {}
    for style, package in IMAGES.items():
        images[style], colours = read_images(fetch(package, cache), style)
        kinds = ", ".join(f"colour type {c}: {n}" for c, n in sorted(colours.items()))
        print(f"{style}: {len(images[style])} PNGs of 64x64 ({kinds})")
    joined = emoji_corpus.join({s: {k: v[0] for k, v in i.items()} for s, i in images.items()},
                               caption_of)
    examples = ", ".join(f"{s}/{n}" for s, n in joined.uncaptioned[:5])
    print(f"{len(caption_of)} captions; {len(joined.uncaptioned)} images without a caption"
          f"{' (' + examples + ')' if examples else ''}; {len(joined.captionless)} captions "
          f"without an image ({', '.join(repr(caption_of[k]) for k in joined.captionless[:3])}"
          f"{', ...' if len(joined.captionless) > 3 else ''})")

    args.out.mkdir(parents=True, exist_ok=True)
    written = write_images(args.out, images, joined.rows)
    splits = emoji_corpus.split_rows(joined.rows)
    for split, rows in splits.items():
        write_if_changed(args.out / f"{split}.tsv", tsv_lines(rows))
    train_captions = sorted({row[3] for row in splits["train"]})
    write_if_changed(args.out / "captions.txt",
                     "".join(c + "\n" for c in train_captions).encode("utf-8"))
    report(splits)
    print(f"wrote {args.out} ({written} images changed) in {time.monotonic() - start:.1f} s")


if __name__ == "__main__":
    main()
