#!/usr/bin/python3
"""Batch text classification (the sentiment test split, repeated to about 5,000 lines):
`recur classify` against bench/peer/torch_classify.py, alternating runs, median of
--reps. The peer runs in two configurations, one process with N intra-op threads and N
single-threaded processes on N contiguous slices of the lines; each ratio is against the
faster one. Sentences/s uses each tool's own classification time and, separately, the
whole process's wall time (start-up and model loading included); peak RSS is the whole
process's (summed over the N processes). Outputs are compared line by line: the same
label, and the largest difference of the written probabilities."""

import math
import os
import sys

import common as c

# The test split repeated to at least this many lines: a run takes seconds.
LINES = 5000
QUICK_LINES = 1000


def input_file(args):
    """The test split (blank lines dropped) repeated to at least LINES lines (--quick:
    QUICK_LINES), in the scratch folder."""
    with open(args.classify_data, encoding="utf-8") as f:
        lines = [line for line in f.read().splitlines() if line.strip()]
    if not lines:
        sys.exit(f"{args.classify_data}: no text")
    copies = math.ceil((QUICK_LINES if args.quick else LINES) / len(lines))
    path = os.path.join(args.work, f"classify-{copies * len(lines)}.txt")
    with open(path, "w", encoding="utf-8") as f:
        for _ in range(copies):
            f.write("\n".join(lines) + "\n")
    return path, copies * len(lines), copies


def recur_once(args, src, out):
    r = c.run([c.recur_bin(args), "classify", "-m", args.classify_model, "-i", src, "-o", out,
               "--threads", str(args.threads)])
    return c.summary_sample(r, "lines")


def peer_cmd(args, src):
    """The peer's command line for (output, threads, shard)."""
    return lambda out, threads, shard: [
        c.PYTHON, os.path.join(c.PEER, "torch_classify.py"), "--model", args.classify_model, "-i", src,
        "-o", out, "--threads", str(threads), "--shard", shard]


def agreement(a, b):
    """(share of lines with the same label, largest |probability difference| over them)."""
    with open(a, encoding="utf-8") as f, open(b, encoding="utf-8") as g:
        x, y = f.read().splitlines(), g.read().splitlines()
    same, diff = 0, 0.0
    for p, q in zip(x, y):
        p, q = p.split("\t"), q.split("\t")
        if p[0] == q[0]:
            same += 1
            if len(p) > 1 and len(q) > 1:
                diff = max(diff, abs(float(p[1]) - float(q[1])))
    return same / max(1, max(len(x), len(y))), diff


def main():
    p = c.arg_parser(__doc__.split("\n\n")[0])
    args = p.parse_args()
    args.classify_model = c.model_folder(args.classify_model, "--classify-model")
    c.data_file(args.classify_data, "--classify-data", "scripts/data/build_sentiment_corpus.py")
    os.makedirs(args.work, exist_ok=True)
    src, n, copies = input_file(args)
    peers = c.peer_configurations(args.threads)
    outs = {k: os.path.join(args.work, f"classify.{k}") for k in ["recur", *peers]}
    med = c.alternate(args, lambda out: recur_once(args, src, out), peer_cmd(args, src), outs)
    agree = {k: agreement(outs["recur"], outs[k]) for k in peers}
    rows = c.rate_rows("classify: sentences/s", "sent/s", n, peers, med, "classification time", (
        f"; {n} lines ({copies} x the test split); same label "
        + ", ".join(f"{100 * agree[k][0]:.1f}% with {peers[k]} (probabilities within {agree[k][1]:.1g})"
                    for k in peers),
        "; start-up and model loading included"))
    rows.append(c.rss_row("classify: peak RSS", peers, med, "classification"))
    c.emit(rows)


if __name__ == "__main__":
    main()
