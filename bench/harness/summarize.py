#!/usr/bin/python3
"""Batch summarization of DDTP long descriptions (the first 200 of the summarization test
split, one document per line), greedy and beam 5: `recur summarize` with the shipped
models/debian-summarize (copy attention with coverage, no_repeat_ngram 3) against
bench/peer/torch_translate.py running the PyTorch reference of the same model folder
(scripts/reference/, copy and coverage included, the extended vocabulary as recur gives
it), alternating runs, median of --reps. The peer runs in two configurations, one process
with N intra-op threads and N single-threaded processes on N contiguous shards of the
file; each ratio is against the faster one. Documents/s uses each tool's own time (model
loading excluded) and, separately, the whole process's wall time; peak RSS is the whole
process's (summed over the N processes)."""

import os
import sys

import common as c

DOCS = 200  # --quick: 16


def input_file(args):
    n = 16 if args.quick else DOCS
    with open(args.summarize_data, encoding="utf-8") as f:
        lines = f.read().splitlines()[:n]
    path = os.path.join(args.work, f"summarize-{len(lines)}.src")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path, len(lines)


def recur_once(args, src, out, beam):
    r = c.run([c.recur_bin(args), "summarize", "-m", args.summarize_model, "-i", src, "-o", out,
               "--beam", str(beam), "--threads", str(args.threads)])
    # "recur: N lines (...) | S source tokens, T target tokens | X s, R lines/s | ..."
    stats = r.err.strip().splitlines()[-1]
    lines = int(stats.split("recur: ")[1].split(" lines")[0])
    tokens = int(stats.split("source tokens, ")[1].split(" target")[0])
    rate = float(stats.split(" s, ")[1].split(" lines/s")[0])
    return c.Sample(lines / rate if rate > 0 else r.seconds, r.seconds, r.max_rss_mib, {"target_tokens": tokens})


def peer_cmd(args, src, beam):
    """The peer's command line for (output, threads, shard)."""
    return lambda out, threads, shard: [
        c.PYTHON, os.path.join(c.PEER, "torch_translate.py"), "--model", args.summarize_model, "-i", src,
        "-o", out, "--beam", str(beam), "--threads", str(threads), "--shard", shard, "--jit", "eager"]


def beam_rows(args, src, n, beam):
    peers = c.peer_configurations(args.threads)
    cmd = peer_cmd(args, src, beam)
    outs = {k: os.path.join(args.work, f"summarize.{k}.beam{beam}") for k in ["recur", *peers]}
    med = c.alternate(args, lambda out: recur_once(args, src, out, beam), cmd, outs)
    same = {k: c.same_lines(outs["recur"], outs[k]) for k in peers}
    name = "greedy" if beam == 1 else f"beam {beam}"
    rows = c.rate_rows(f"summarize {name}: documents/s", "doc/s", n, peers, med, "summarization time", (
        f"; {n} documents; identical summaries " + ", ".join(f"{100 * same[k]:.1f}% ({peers[k]})" for k in peers)
        + "; peer decoder step eager (jit_decoder.py does not cover copy / coverage)",
        "; start-up, import torch and model loading included"))
    rows.append(c.rss_row(f"summarize {name}: peak RSS", peers, med, "summarization"))
    return rows


def main():
    args = c.arg_parser(__doc__.split("\n\n")[0]).parse_args()
    args.summarize_model = os.path.abspath(args.summarize_model)
    if not os.path.exists(os.path.join(args.summarize_model, "pipeline.yaml")):
        sys.exit(f"{args.summarize_model}: no pipeline.yaml (pass --summarize-model DIR)")
    if not os.path.exists(args.summarize_data):
        sys.exit(f"{args.summarize_data}: missing (scripts/data/build_ddtp_corpus.py, or pass --summarize-data FILE)")
    os.makedirs(args.work, exist_ok=True)
    src, n = input_file(args)
    c.emit([row for beam in (1, 5) for row in beam_rows(args, src, n, beam)])


if __name__ == "__main__":
    main()
