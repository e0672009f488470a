"""Tests for the emoji corpus builder on a tiny synthetic package layout.

    /usr/bin/python3 -m unittest discover -s scripts/data -p 'test_*.py'
"""

import contextlib
import io
import json
import pathlib
import struct
import sys
import tarfile
import tempfile
import unittest
from unittest import mock

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import build_emoji_corpus as build  # noqa: E402
import emoji_corpus as emoji  # noqa: E402


def png(width=64, height=64, colour=6, salt=b""):
    """Enough of a PNG for png_info: signature and IHDR (no valid CRC or data)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    return emoji.PNG_SIGNATURE + struct.pack(">I", 13) + b"IHDR" + ihdr + b"\0" * 4 + salt


def tarball(path, files):
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo("package/" + name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


EMOJIBASE = [
    {"label": "grinning face", "hexcode": "1F600"},
    {"label": "waving  hand", "hexcode": "1F44B",
     "skins": [{"label": "waving hand: dark skin tone", "hexcode": "1F44B-1F3FF"}]},
    {"label": "keycap: #", "hexcode": "0023-FE0F-20E3"},
    {"label": "regional indicator A", "hexcode": "1F1E6"},
]


class KeyAndCaptionTest(unittest.TestCase):
    def test_key_drops_fe0f_and_lowercases(self):
        self.assertEqual(emoji.key("0023-FE0F-20E3"), "0023-20e3")
        self.assertEqual(emoji.key("1f3cb-1f3ff-200d-2640-fe0f"), "1f3cb-1f3ff-200d-2640")
        with self.assertRaises(emoji.DataError):
            emoji.key("1f600.png")

    def test_captions_include_skins_and_normalise_whitespace(self):
        self.assertEqual(emoji.captions(EMOJIBASE), {
            "1f600": "grinning face", "1f44b": "waving hand",
            "1f44b-1f3ff": "waving hand: dark skin tone", "0023-20e3": "keycap: #",
            "1f1e6": "regional indicator A"})

    def test_conflicting_labels_are_an_error(self):
        with self.assertRaises(emoji.DataError):
            emoji.captions([{"label": "a", "hexcode": "2764"},
                            {"label": "b", "hexcode": "2764-FE0F"}])

    def test_png_info(self):
        self.assertEqual(emoji.png_info(png(64, 32, 4), "x"), (64, 32, 4))
        with self.assertRaises(emoji.DataError):
            emoji.png_info(b"GIF89a" + b"\0" * 40, "x.png")


class SplitTest(unittest.TestCase):
    def rows(self, count):
        return [(f"{i:x}", style, f"{i:x}.png", f"caption {i}")
                for i in range(0x1f000, 0x1f000 + count) for style in emoji.SETS]

    def test_held_out_drawing_has_its_other_style_in_train(self):
        splits = emoji.split_rows(self.rows(2000))
        train = {(k, s) for k, s, _, _ in splits["train"]}
        for split in ("valid", "test"):
            for k, style, _, _ in splits[split]:
                other = "google" if style == "twitter" else "twitter"
                self.assertIn((k, other), train)
                self.assertNotIn((k, style), train)
        held = {k for split in ("valid", "test") for k, _, _, _ in splits[split]}
        self.assertEqual(len(held), len(splits["valid"]) + len(splits["test"]))
        # Shares are per-emoji hashes: about 20% test and 10% valid of 2000 emoji.
        self.assertAlmostEqual(len(splits["test"]) / 2000, 0.20, delta=0.03)
        self.assertAlmostEqual(len(splits["valid"]) / 2000, 0.10, delta=0.03)
        self.assertEqual(sum(len(r) for r in splits.values()), 4000)

    def test_split_is_deterministic_and_per_emoji(self):
        rows = self.rows(300)
        first = emoji.split_rows(rows)
        self.assertEqual(first, emoji.split_rows(list(reversed(rows))))
        for k in ("1f600", "1f44b"):
            self.assertEqual(emoji.held_out(k), emoji.held_out(k))

    def test_single_drawing_stays_in_train(self):
        rows = [(r[0], "google", r[2], r[3]) for r in self.rows(300) if r[1] == "google"]
        self.assertEqual(len(emoji.split_rows(rows)["train"]), 300)


class BuildTest(unittest.TestCase):
    """End to end on synthetic tarballs whose integrity is pinned in place of
    the real ones, so npm is never run."""

    def setUp(self):
        self.dir = pathlib.Path(self.enterContext(tempfile.TemporaryDirectory()))
        cache = self.dir / "npm"
        cache.mkdir()
        base = tarball(cache / "emojibase-data-17.0.0.tgz",
                       {"en/data.json": json.dumps(EMOJIBASE).encode()})
        packages = {"emojibase": build.EMOJIBASE._replace(integrity=build.integrity(base))}
        for style in emoji.SETS:
            path = tarball(cache / f"emoji-datasource-{style}-16.0.0.tgz", {
                f"img/{style}/64/1f600.png": png(salt=style.encode()),
                f"img/{style}/64/1f44b-1f3ff.png": png(colour=3),
                f"img/{style}/64/0023-fe0f-20e3.png": png(colour=4),
                f"img/{style}/64/1f47d.png": png(),  # no caption
                f"img/{style}/32/1f600.png": png(32, 32)})  # other size: ignored
            packages[style] = build.IMAGES[style]._replace(integrity=build.integrity(path))
        self.patches = [mock.patch.object(build, "EMOJIBASE", packages.pop("emojibase")),
                        mock.patch.dict(build.IMAGES, packages)]

    def run_build(self):
        argv = ["build_emoji_corpus.py", "--out", str(self.dir / "out"),
                "--cache", str(self.dir / "npm")]
        log = io.StringIO()
        with contextlib.ExitStack() as stack:
            for patch in self.patches:
                stack.enter_context(patch)
            stack.enter_context(mock.patch.object(sys, "argv", argv))
            stack.enter_context(mock.patch.object(build.subprocess, "run",
                                                  side_effect=AssertionError("npm ran")))
            stack.enter_context(contextlib.redirect_stdout(log))
            build.main()
        return log.getvalue()

    def test_writes_images_tsv_and_captions(self):
        log = self.run_build()
        out = self.dir / "out"
        self.assertIn("2 images without a caption", log)
        self.assertIn("2 captions without an image", log)  # 1f44b, 1f1e6
        lines = []
        for split in ("train", "valid", "test"):
            lines += (out / f"{split}.tsv").read_text().splitlines()
        self.assertEqual(len(lines), 6)
        for line in lines:
            path, caption = line.split("\t")
            self.assertTrue((out / path).is_file(), path)
        self.assertIn("images/google/0023-fe0f-20e3.png\tkeycap: #", lines)
        self.assertFalse((out / "images/google/1f47d.png").exists())
        train = [line.split("\t")[1] for line in (out / "train.tsv").read_text().splitlines()]
        self.assertEqual((out / "captions.txt").read_text().splitlines(), sorted(set(train)))

    def test_rerun_is_identical_and_removes_stale_images(self):
        self.run_build()
        out = self.dir / "out"
        before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
        (out / "images/twitter/dead.png").write_bytes(b"old")
        log = self.run_build()
        self.assertIn("(0 images changed)", log)
        after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
        self.assertEqual(before, after)

    def test_integrity_mismatch_refetches_and_fails(self):
        (self.dir / "npm" / "emojibase-data-17.0.0.tgz").write_bytes(b"tampered")
        with self.assertRaises(AssertionError):  # npm would run; the mock refuses
            self.run_build()


if __name__ == "__main__":
    unittest.main()
