"""Tests for the DDTP corpus builder on hand-written stanzas.

    /usr/bin/python3 -m unittest discover -s scripts/data -p 'test_*.py'
"""

import gzip
import lzma
import pathlib
import random
import sys
import tempfile
import unittest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import build_ddtp_corpus  # noqa: E402
import ddtp_corpus as ddtp  # noqa: E402

MD5_A = "a" * 32
MD5_B = "b" * 32
MD5_C = "c" * 32

ENGLISH = f"""Package: fooview
Description-md5: {MD5_A}
Description-en: image viewer for foo files
 Fooview shows foo images. It is fast
 and small.
 .
 Features:
  * zoom and
    rotate
  * slideshow
 .
 This package contains the viewer.

Package: fooview-data
Description-md5: {MD5_A}
Description-en: image viewer for foo files
 (same text as above; a second package with this md5 must be ignored)

Package: barlib
Description-md5: {MD5_B}
Description-en: bar library
 The bar library computes bars.
 .
 This package contains the runtime.

Package: untranslated
Description-md5: {MD5_C}
Description-en: something nobody translated
 Nobody translated this.
"""

FRENCH = f"""Package: fooview
Description-md5: {MD5_A}
Description-fr: visionneuse d'images pour les fichiers foo
 Fooview affiche les images foo. Il est
 rapide et petit.
 .
 Fonctionnalités :
  * zoom et
    rotation ;
  * diaporama.
 .
 Ce paquet contient la visionneuse.

Package: barlib
Description-md5: {MD5_B}
Description-fr: bibliothèque bar
 La bibliothèque bar calcule des barres. Ce paquet contient le moteur.
"""


class ParseTest(unittest.TestCase):
    def test_stanza_fields_and_continuations(self):
        stanzas = list(ddtp.parse_stanzas(ENGLISH, "en"))
        self.assertEqual([line for line, _ in stanzas], [1, 14, 19, 26])
        first = stanzas[0][1]
        self.assertEqual(first["package"], ["fooview"])
        self.assertEqual(first["description-en"][0], "image viewer for foo files")
        self.assertEqual(first["description-en"][5], "  * zoom and")

    def test_first_stanza_of_an_md5_wins(self):
        english = ddtp.parse_translation(ENGLISH, "en")
        self.assertEqual(sorted(english), [MD5_A, MD5_B, MD5_C])
        self.assertEqual(english[MD5_A].package, "fooview")
        self.assertEqual(len(english[MD5_A].paragraphs), 3)

    def test_errors_name_file_and_line(self):
        cases = {
            f"Package: x\nDescription-md5: {MD5_A}\nDescription-en: y\n\n z\n":
                "t:5: continuation line outside",
            "Package: x\nno colon here\n": "t:2: expected 'Field: value'",
            "Package: x\nDescription-en: y\n": "t:1: stanza lacks field 'description-md5'",
            f"Package: x\nDescription-md5: xyz\nDescription-en: y\n": "t:1: Description-md5",
            "Package: x\nPackage: y\n": "t:2: duplicate field 'Package'",
        }
        for text, message in cases.items():
            with self.subTest(text=text):
                with self.assertRaisesRegex(ddtp.ParseError, message):
                    ddtp.parse_translation(text, "en", "t")


class SegmentTest(unittest.TestCase):
    def test_paragraph_separators(self):
        lines = [" a", " .", " b", " \u00a0", " c", " .", " ."]
        self.assertEqual(ddtp.split_paragraphs(lines), [[" a"], [" b"], [" c"]])

    def test_prose_items_and_verbatim(self):
        lines = [" Wrapped prose", " continues here.", "  * first item", "    wraps",
                 "  - second", " Back to prose", " after the list.", "   $ code --x"]
        self.assertEqual(ddtp.segment_paragraph(lines), [
            ("prose", "Wrapped prose continues here."),
            ("item", "first item wraps"),
            ("item", "second"),
            ("prose", "Back to prose after the list."),
            ("prose", "$ code --x"),
        ])

    def test_normalise_leaves_one_clean_line(self):
        text = "a\tb\u2028c\u00a0d\x0be\u0085f \ufeffg\x00h  "
        self.assertEqual(ddtp.normalise(text), "a b c d e f g h")
        self.assertEqual(ddtp.normalise("e\u0301"), "\u00e9")

    def test_noise_filters(self):
        self.assertTrue(ddtp.is_clean_pair("a small tool", "un petit outil"))
        self.assertFalse(ddtp.is_clean_pair("Noto Sans Bold", "Noto Sans Bold"))
        self.assertFalse(ddtp.is_clean_pair("$ foo --bar=1 2>&1 | x", "$ foo --bar=1 2>&1 | y"))
        self.assertFalse(ddtp.is_clean_pair("word " * 81, "mot " * 81))
        self.assertFalse(ddtp.is_clean_pair("a tool", "un outil " * 20))


class PairTest(unittest.TestCase):
    def setUp(self):
        self.english = ddtp.parse_translation(ENGLISH, "en")
        self.french = ddtp.parse_translation(FRENCH, "fr")

    def test_pairs_by_md5_and_paragraph_counts(self):
        self.assertEqual(ddtp.translation_pairs(self.english, self.french), [
            ("image viewer for foo files", "visionneuse d'images pour les fichiers foo"),
            ("Fooview shows foo images. It is fast and small.",
             "Fooview affiche les images foo. Il est rapide et petit."),
            ("Features:", "Fonctionnalités :"),
            ("zoom and rotate", "zoom et rotation ;"),
            ("slideshow", "diaporama."),
            ("This package contains the viewer.", "Ce paquet contient la visionneuse."),
            # barlib: 2 English paragraphs vs 1 French, so only the short pair.
            ("bar library", "bibliothèque bar"),
        ])

    def test_mismatched_list_skips_only_that_paragraph(self):
        reflowed = FRENCH.replace("  * diaporama.", "    diaporama.")
        pairs = ddtp.translation_pairs(self.english, ddtp.parse_translation(reflowed, "fr"))
        self.assertNotIn(("slideshow", "diaporama."), pairs)
        self.assertNotIn(("Features:", "Fonctionnalités :"), pairs)
        self.assertIn(("This package contains the viewer.",
                       "Ce paquet contient la visionneuse."), pairs)

    def test_duplicate_pairs_are_dropped(self):
        def two_stanzas(lang, short):
            return "\n".join(f"Package: p{md5[0]}\nDescription-md5: {md5}\n"
                             f"Description-{lang}: {short}\n" for md5 in (MD5_A, MD5_B))
        english = ddtp.parse_translation(two_stanzas("en", "a tool"), "en")
        french = ddtp.parse_translation(two_stanzas("fr", "un  outil"), "fr")
        self.assertEqual(len(french), 2)
        self.assertEqual(ddtp.translation_pairs(english, french), [("a tool", "un outil")])

    def test_summary_pairs(self):
        shared = ENGLISH + f"""
Package: barlib-dev
Description-md5: {"d" * 32}
Description-en: bar lib
 The bar library computes bars.
 .
 This package contains the runtime.
"""
        pairs = dict(ddtp.summary_pairs(ddtp.parse_translation(shared, "en")))
        self.assertEqual(pairs["The bar library computes bars. This package contains "
                               "the runtime."], "bar lib")
        long_foo = ("Fooview shows foo images. It is fast and small. Features: "
                    "* zoom and rotate * slideshow This package contains the viewer.")
        self.assertEqual(pairs[long_foo], "image viewer for foo files")
        # "untranslated" is dropped: its short text is longer than its long one.
        self.assertEqual(len(pairs), 2)


class SplitTest(unittest.TestCase):
    def test_deterministic_and_disjoint(self):
        pairs = [(f"source {i % 700}", f"target {i}") for i in range(1000)]
        splits = ddtp.split_pairs(pairs, n_test=100, n_valid=50)
        shuffled = pairs[:]
        random.Random(7).shuffle(shuffled)
        self.assertEqual(ddtp.split_pairs(shuffled, n_test=100, n_valid=50), splits)
        self.assertGreaterEqual(len(splits["test"]), 100)
        self.assertLess(len(splits["test"]), 103)
        self.assertGreaterEqual(len(splits["valid"]), 50)
        self.assertEqual(sum(map(len, splits.values())), 1000)
        sources = {name: {s for s, _ in split} for name, split in splits.items()}
        self.assertFalse(sources["test"] & sources["valid"])
        self.assertFalse(sources["test"] & sources["train"])
        self.assertFalse(sources["valid"] & sources["train"])


class FilesTest(unittest.TestCase):
    def test_compressed_lists_load_and_pair(self):
        with tempfile.TemporaryDirectory() as tmp:
            lists = pathlib.Path(tmp)
            prefix = "deb.example_debian_dists_x_main_i18n_Translation-"
            with gzip.open(lists / (prefix + "en.gz"), "wt", encoding="utf-8") as f:
                f.write(ENGLISH)
            with lzma.open(lists / (prefix + "fr.xz"), "wt", encoding="utf-8") as f:
                f.write(FRENCH)
            (lists / (prefix + "en_GB")).write_text("not English of 'en'")
            english = build_ddtp_corpus.load(lists, "en")
            french = build_ddtp_corpus.load(lists, "fr")
        self.assertEqual(len(ddtp.translation_pairs(english, french)), 7)

    def test_checked_in_slice_is_clean(self):
        root = HERE.parents[1] / "tests" / "data" / "ddtp"
        for a, b in [("en-fr.train.en", "en-fr.train.fr"), ("en-de.train.en", "en-de.train.de"),
                     ("sum.train.src", "sum.train.tgt"), ("sample-test.en", "sample-test.fr")]:
            left = (root / a).read_bytes().decode("utf-8").split("\n")
            right = (root / b).read_bytes().decode("utf-8").split("\n")
            self.assertEqual(len(left), len(right), a)
            for line in left[:-1] + right[:-1]:
                self.assertTrue(line and "\t" not in line and line == ddtp.normalise(line))
                self.assertEqual(len(line.splitlines()), 1)


if __name__ == "__main__":
    unittest.main()
