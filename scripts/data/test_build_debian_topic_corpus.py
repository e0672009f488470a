"""Tests for the Debian topic corpus builder on hand-written Packages and
Translation-en stanzas (apt never runs).

    /usr/bin/python3 -m unittest discover -s scripts/data -p 'test_*.py'
"""

import contextlib
import io
import pathlib
import subprocess
import sys
import tempfile
import unittest
from unittest import mock

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import build_ddtp_corpus  # noqa: E402
import build_debian_topic_corpus as build  # noqa: E402
import ddtp_corpus  # noqa: E402

PACKAGES = """Package: foo
Version: 1.0
Section: games
Source: foo-src (1.0-2)
Description: a game
Description-md5: {md5_a}

Package: bar
Section: contrib/science
Description-md5: {md5_b}

Package: nosection
Description-md5: {md5_b}
"""

TRANSLATION = """Package: foo
Description-md5: {md5_a}
Description-en: a game
 Shoot   the aliens.
 .
 Collect\tpoints.
"""


def md5(i):
    return f"{i:032x}"


class ParseTest(unittest.TestCase):
    def test_parse_packages(self):
        packages = build.parse_packages(PACKAGES.format(md5_a=md5(1), md5_b=md5(2)))
        self.assertEqual(packages, [build.Package("foo", "games", "foo-src", md5(1)),
                                    build.Package("bar", "science", "bar", md5(2))])
        with self.assertRaises(ddtp_corpus.ParseError):
            build.parse_packages("Section: games\n")

    def test_long_text_drops_separators_and_collapses_space(self):
        english = ddtp_corpus.parse_translation(TRANSLATION.format(md5_a=md5(1)), "en")
        self.assertEqual(build.long_text(english[md5(1)]), "Shoot the aliens. Collect points.")

    def test_section_name(self):
        self.assertEqual(build.section_name("non-free/sound"), "sound")
        self.assertEqual(build.section_name("net"), "net")


class RecordsTest(unittest.TestCase):
    def english(self, texts):
        return {md5(i): ddtp_corpus.Description(f"p{i}", "short", [[" " + t]] if t else [])
                for i, t in texts.items()}

    def test_dedup_conflicts_cap_and_sections(self):
        english = self.english({1: "Same text.", 2: "Shared by two sections.", 3: "Lib.",
                                4: "Tile 1.", 5: "Tile 2.", 6: "Tile 3.", 7: "", 8: "Own."})
        packages = [build.Package("a", "games", "a", md5(1)),
                    build.Package("a2", "games", "a", md5(1)),     # duplicate text
                    build.Package("b", "games", "b", md5(2)),
                    build.Package("b-sci", "science", "b", md5(2)),  # conflict
                    build.Package("libc", "libs", "c", md5(3)),     # section not kept
                    build.Package("t1", "games", "tiles", md5(4)),
                    build.Package("t2", "games", "tiles", md5(5)),
                    build.Package("t3", "games", "tiles", md5(6)),  # over the cap of 2
                    build.Package("e", "science", "e", md5(7)),     # no long description
                    build.Package("o", "science", "o", md5(8))]
        records, log = build.build_records(packages, english, {"games", "science"}, 2)
        self.assertEqual([(r.text, r.label) for r in records], [
            ("Same text.", "games"), ("Own.", "science"), ("Tile 1.", "games"),
            ("Tile 2.", "games")])
        self.assertIn("1 without a long description; 1 duplicate texts removed, "
                      "1 texts with two sections dropped; 1 removed by the cap", log)
        records, _ = build.build_records(packages, english, {"games", "science"}, 0)
        self.assertEqual(len(records), 5)


class AptTest(unittest.TestCase):
    def test_options_enable_packages_and_english_only(self):
        options = build.apt_options(pathlib.Path("work"))
        self.assertIn("Acquire::Languages=en", options)
        self.assertIn("Acquire::IndexTargets::deb::Packages::DefaultEnabled=true", options)
        self.assertFalse(any("=false" in o and "::Packages::" in o for o in options))
        self.assertIn("Dir::State::Lists=" + str(pathlib.Path("work") / "lists"), options)

    def test_fetch_runs_ddtp_fetch_with_these_options(self):
        done = subprocess.CompletedProcess([], 0, stdout="Get:1 x\n")
        with tempfile.TemporaryDirectory() as tmp, \
                mock.patch.object(build_ddtp_corpus.subprocess, "run",
                                  return_value=done) as run, \
                contextlib.redirect_stdout(io.StringIO()):
            self.assertTrue(build.fetch(pathlib.Path(tmp)))
        command = run.call_args[0][0]
        self.assertEqual(command[:3], ["apt-get", "-q", "update"])
        self.assertIn("Acquire::Languages=en", command)
        self.assertIs(build_ddtp_corpus.apt_options, build._DDTP_APT_OPTIONS)


class BuildTest(unittest.TestCase):
    def test_end_to_end_from_lists(self):
        tmp = pathlib.Path(self.enterContext(tempfile.TemporaryDirectory()))
        lists = tmp / "out" / "apt" / "lists"
        lists.mkdir(parents=True)
        packages, translations = [], []
        for i in range(40):
            section = ("games", "science")[i % 2]
            packages.append(f"Package: p{i}\nSection: {section}\nDescription-md5: {md5(i)}\n")
            translations.append(f"Package: p{i}\nDescription-md5: {md5(i)}\n"
                                f"Description-en: short\n About {section} number {i}.\n")
        (lists / "m_main_binary-amd64_Packages").write_text("\n".join(packages))
        (lists / "m_main_i18n_Translation-en").write_text("\n".join(translations))
        argv = ["build_debian_topic_corpus.py", "--out", str(tmp / "out"), "--no-update",
                "--sections", "games,science"]
        log = io.StringIO()
        with mock.patch.object(sys, "argv", argv), contextlib.redirect_stdout(log):
            build.main()
        out = tmp / "out"
        for split, size in (("train", 32), ("valid", 4), ("test", 4)):
            texts = (out / f"{split}.text").read_text().splitlines()
            labels = (out / f"{split}.label").read_text().splitlines()
            self.assertEqual((len(texts), len(labels)), (size, size))
            self.assertEqual(labels.count("games"), size // 2)
            for text, label in zip(texts, labels):
                self.assertTrue(text.startswith(f"About {label} number"), text)
        self.assertIn("games 20, science 20", log.getvalue())


if __name__ == "__main__":
    unittest.main()
