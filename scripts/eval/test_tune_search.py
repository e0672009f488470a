"""Tests of tune_search.py's pure parts: the grid, the scores read from `recur eval`, the
command line of one setting and the ranking."""

import argparse
import unittest

import tune_search as t


class TuneSearchTest(unittest.TestCase):
    def test_grid(self):
        self.assertEqual(t.parse_grid("1,3, 5", int, "--beams"), [1, 3, 5])
        self.assertEqual(t.parse_grid("0,0.6", float, "--length-penalties"), [0.0, 0.6])
        with self.assertRaises(SystemExit) as e:
            t.parse_grid("1,x", int, "--beams")
        self.assertIn("--beams", str(e.exception))
        with self.assertRaises(SystemExit):
            t.parse_grid(",", int, "--beams")

    def test_scores_from_recur_eval(self):
        text = ("BLEU = 41.08 70.1/48.2/35.0/25.9 (BP = 0.982, hyp_len = 20931, ref_len = 21306)\n"
                "chrF2 = 65.10\n")
        self.assertEqual(t.parse_scores(text), (41.08, 65.1))
        with self.assertRaises(ValueError):
            t.parse_scores("recur eval: no such file\n")

    def test_command_sets_beam_and_length_penalty(self):
        args = argparse.Namespace(recur="recur", command="translate", model="m", source="v.en", threads=2)
        cmd = t.search_command(args, 5, 0.6, "o.txt")
        self.assertEqual(cmd[cmd.index("--beam") + 1], "5")
        self.assertEqual(cmd[cmd.index("--length-penalty") + 1], "0.6")
        self.assertEqual(cmd[cmd.index("-o") + 1], "o.txt")

    def test_ranking(self):
        rows = [(5, 0.6, 40.0, 65.0), (8, 1.0, 40.5, 64.0), (3, 0.6, 40.5, 64.0), (1, 0.0, 39.0, 66.0)]
        self.assertEqual([(b, a) for b, a, _, _ in t.ranked(rows)], [(3, 0.6), (8, 1.0), (5, 0.6), (1, 0.0)])


if __name__ == "__main__":
    unittest.main()
