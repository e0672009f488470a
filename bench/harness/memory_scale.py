#!/usr/bin/python3
"""Memory scale: `recur translate` streams, so its resident memory must not grow with
the input. Synthetic inputs of 10 MB, 100 MB and 1 GB (--quick: 0.2, 0.5 and 1 MB) are
made by repeating the training corpus's English lines; a small stand-in model
(bench/tools/make_model.py: hidden 96, greedy, at most 2 output tokens) keeps a 1 GB run
to minutes while every line still goes through reading, tokenizing, batching, the
encoder, search and writing. Its hidden size is above the small-layer kernels' 64
(framework/src/ops/small_rnn.h), so its layers run on oneDNN's RNN primitives, whose
per-shape caches are what could grow with the input (until 2026-12-03: hidden 16).
Reports peak RSS and lines/s per input size.
--scale-sizes overrides the sizes (MB, comma-separated)."""

import os

import common as c

STAND_IN_HIDDEN = 96


def make_input(args, megabytes):
    path = os.path.join(args.work, f"scale-{megabytes:g}MB.en")
    target = int(megabytes * 1e6)
    if os.path.exists(path) and os.path.getsize(path) >= target:
        return path
    with open(os.path.join(args.data, "train.en"), encoding="utf-8") as f:
        block = "".join(l for l in f if l.strip()).encode("utf-8")
    with open(path, "wb") as out:
        written = 0
        while written < target:
            piece = block[: target - written]
            if len(piece) < len(block):
                piece = piece[: piece.rfind(b"\n") + 1] or block[: block.find(b"\n") + 1]
            out.write(piece)
            written += len(piece)
    return path


def stand_in_model(args):
    path = os.path.join(args.work, f"stand-in-model-h{STAND_IN_HIDDEN}")
    if not os.path.exists(os.path.join(path, "pipeline.yaml")):
        c.run([c.PYTHON, os.path.join(c.BENCH, "tools", "make_model.py"),
               "--corpus", os.path.join(args.data, "train.en"), "--corpus", os.path.join(args.data, "train.fr"),
               "--out", path, "--vocab", "1000", "--hidden", str(STAND_IN_HIDDEN), "--beam", "1",
               "--max-length-a", "0", "--max-length-b", "2"])
    return path


def main():
    args = c.arg_parser(__doc__.split("\n\n")[0]).parse_args()
    os.makedirs(args.work, exist_ok=True)
    sizes = [float(s) for s in args.scale_sizes.split(",")] if args.scale_sizes else \
        ([0.2, 0.5, 1] if args.quick else [10, 100, 1000])
    model = stand_in_model(args)
    rows = []
    for mb in sizes:
        src = make_input(args, mb)
        out = os.path.join(args.work, "scale.out")
        r = c.run([c.recur_bin(args), "translate", "-m", model, "-i", src, "-o", out, "--beam", "1",
                   "--threads", str(args.threads)])
        os.remove(out)
        lines = c.summary_count(r, "lines")
        rows.append({"measure": f"memory scale: translate {mb:g} MB input, peak RSS", "unit": "MiB", "lower": True,
                     "recur": r.max_rss_mib, "torch": None,
                     "note": f"{lines:,} lines in {r.seconds:.1f} s ({lines / r.seconds:,.0f} lines/s), "
                         f"stand-in model, hidden {STAND_IN_HIDDEN}"})
    c.emit(rows)


if __name__ == "__main__":
    main()
