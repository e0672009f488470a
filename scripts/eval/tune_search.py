#!/usr/bin/python3
"""Tunes the search of a translation or summarization model on a validation split: runs
`recur translate` (or `summarize`) once per beam size x length penalty of the grid and
prints BLEU and chrF2 (`recur eval`) per setting, best BLEU first. Tune on the valid split
only; report the test split once, with the setting chosen here.

  /usr/bin/python3 scripts/eval/tune_search.py -m models/en-fr \\
      --source data/ddtp/en-fr/valid.en --ref data/ddtp/en-fr/valid.fr \\
      --beams 1,3,5,8 --length-penalties 0,0.6,1.0,1.4

Then set `search: {beam_size: B, length_penalty: A}` in the model's pipeline.yaml (or
pass --beam / --length-penalty). The outputs of every setting stay in --work.
"""

import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def parse_grid(text, kind, flag):
    """"1,3,5" -> [1, 3, 5] (kind int or float); exits naming the flag on a bad item."""
    try:
        values = [kind(item) for item in text.split(",") if item.strip()]
    except ValueError:
        sys.exit(f"{flag}: expected comma-separated numbers, got '{text}'")
    if not values:
        sys.exit(f"{flag}: empty")
    return values


def parse_scores(text):
    """(BLEU, chrF2) from `recur eval` output ("BLEU = 41.08 ...", "chrF2 = 65.10")."""
    bleu = re.search(r"^BLEU = ([0-9.]+)", text, re.M)
    chrf = re.search(r"^chrF2 = ([0-9.]+)", text, re.M)
    if not bleu or not chrf:
        raise ValueError(f"no BLEU / chrF2 in recur eval's output:\n{text}")
    return float(bleu.group(1)), float(chrf.group(1))


def search_command(args, beam, alpha, out):
    """The recur command that decodes --source with beam size `beam` and length penalty `alpha`."""
    return [args.recur, args.command, "-m", args.model, "-i", args.source, "-o", out, "--beam", str(beam),
            "--length-penalty", str(alpha), "--threads", str(args.threads)]


def ranked(rows):
    """Rows (beam, alpha, bleu, chrf) best first: BLEU, then chrF2, then the smaller beam."""
    return sorted(rows, key=lambda r: (-r[2], -r[3], r[0], r[1]))


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)}: exit {r.returncode}\n{r.stderr[-2000:]}")
    return r.stdout + r.stderr


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-m", "--model", required=True, help="model folder")
    p.add_argument("--source", required=True, help="validation source, one record per line")
    p.add_argument("--ref", required=True, help="validation reference, line by line")
    p.add_argument("--beams", default="1,3,5,8", help="beam sizes, comma-separated")
    p.add_argument("--length-penalties", default="0,0.6,1.0,1.4", help="GNMT alphas, comma-separated")
    p.add_argument("--command", default="translate", choices=("translate", "summarize"))
    p.add_argument("--recur", default=os.path.join(REPO, "build", "bin", "recur"), help="the recur binary")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--work", default="tune-search", help="folder for the outputs")
    args = p.parse_args()
    beams = parse_grid(args.beams, int, "--beams")
    alphas = parse_grid(args.length_penalties, float, "--length-penalties")
    os.makedirs(args.work, exist_ok=True)
    rows = []
    for beam in beams:
        # Greedy search ignores the length penalty when choosing: one run covers every alpha.
        for alpha in (alphas[:1] if beam == 1 else alphas):
            out = os.path.join(args.work, f"beam{beam}-lp{alpha}.txt")
            run(search_command(args, beam, alpha, out))
            bleu, chrf = parse_scores(run([args.recur, "eval", "--ref", args.ref, out]))
            rows.append((beam, alpha, bleu, chrf))
            print(f"beam {beam:3d}  length penalty {alpha:4.2f}  BLEU {bleu:6.2f}  chrF2 {chrf:6.2f}", flush=True)
    print("\nbest first:")
    for beam, alpha, bleu, chrf in ranked(rows):
        print(f"beam {beam:3d}  length penalty {alpha:4.2f}  BLEU {bleu:6.2f}  chrF2 {chrf:6.2f}")


if __name__ == "__main__":
    main()
