#!/usr/bin/python3
"""Batch summarization of DDTP long descriptions (the summarization test split, 1,000
documents, one per line), greedy and beam 5: `recur summarize` with the shipped
models/debian-summarize (copy attention with coverage, no_repeat_ngram 3) against
bench/peer/torch_translate.py running the PyTorch reference of the same model folder
(scripts/reference/, copy and coverage included, the extended vocabulary as recur gives
it), alternating runs, median of --reps. The peer runs in two configurations, one process
with N intra-op threads and N single-threaded processes on N contiguous shards of the
file; each ratio is against the faster one. Documents/s uses each tool's own time (model
loading excluded) and, separately, the whole process's wall time; peak RSS is the whole
process's (summed over the N processes)."""

import os

import common as c

# The whole test split. 200 documents (before 2026-12-03) made a run of well under a
# second on either side, mostly warm-up: primitive compilation, first-touch page faults.
DOCS = 1000  # --quick: 16


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
    return c.summary_sample(r, "lines")


def peer_cmd(args, src, beam):
    """The peer's command line for (output, threads, shard)."""
    return lambda out, threads, shard: [
        c.PYTHON, os.path.join(c.PEER, "torch_translate.py"), "--model", args.summarize_model, "-i", src,
        "-o", out, "--beam", str(beam), "--threads", str(threads), "--shard", shard, "--jit", "eager"]


def beam_rows(args, src, n, beam):
    return c.search_rows(args, "summarize", ("documents", "doc/s", "summarization", "summaries"), n, beam,
                         lambda out: recur_once(args, src, out, beam), peer_cmd(args, src, beam),
                         ("; peer decoder step eager (jit_decoder.py does not cover copy / coverage)",
                          "; start-up, import torch and model loading included"))


def main():
    args = c.arg_parser(__doc__.split("\n\n")[0]).parse_args()
    args.summarize_model = c.model_folder(args.summarize_model, "--summarize-model")
    c.data_file(args.summarize_data, "--summarize-data", "scripts/data/build_ddtp_corpus.py")
    os.makedirs(args.work, exist_ok=True)
    src, n = input_file(args)
    c.emit([row for beam in (1, 5) for row in beam_rows(args, src, n, beam)])


if __name__ == "__main__":
    main()
