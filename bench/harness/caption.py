#!/usr/bin/python3
"""Batch captioning of an image list (the emoji test split), greedy and beam 5: `recur
caption` against bench/peer/torch_caption.py, alternating runs, median of --reps. The peer
runs in two configurations, one process with N intra-op threads and N single-threaded
processes on N contiguous slices of the list; each ratio is against the faster one.
Images/s uses each tool's own captioning time and, separately, the whole process's wall
time (start-up and model loading included); peak RSS is the whole process's (summed over
the N processes)."""

import os

import common as c

# Enough for several mini-batches (recur's N workers each need one), still seconds.
QUICK_IMAGES = 256


def input_list(args):
    """The list's records (--quick: the first QUICK_IMAGES) with absolute paths, in the scratch folder:
    both sides read the same file and print the same path column."""
    base = os.path.dirname(os.path.abspath(args.caption_data))
    with open(args.caption_data, encoding="utf-8") as f:
        lines = [line for line in f.read().splitlines() if line.strip()]
    if args.quick:
        lines = lines[:QUICK_IMAGES]
    path = os.path.join(args.work, f"caption-{len(lines)}.list")
    with open(path, "w", encoding="utf-8") as f:
        for line in lines:
            f.write(os.path.join(base, line.split("\t", 1)[0]) + "\n")
    return path, len(lines)


def recur_once(args, src, out, beam, precision="f32"):
    r = c.run([c.recur_bin(args), "caption", "-m", args.caption_model, "-i", src, "-o", out,
               "--beam", str(beam), "--n-best", "1", "--threads", str(args.threads), "--precision", precision])
    return c.summary_sample(r, "images")


def encoder_jit(args):
    """The peer's CNN encoder: traced and frozen (1.6x faster than eager on 64-image
    batches) unless --peer-jit eager; script is the translator's decoder mode only."""
    return "eager" if args.peer_jit == "eager" else "freeze"


def peer_cmd(args, src, beam):
    """The peer's command line for (output, threads, shard)."""
    return lambda out, threads, shard: [
        c.PYTHON, os.path.join(c.PEER, "torch_caption.py"), "--model", args.caption_model, "-i", src,
        "-o", out, "--beam", str(beam), "--threads", str(threads), "--shard", shard, "--jit", encoder_jit(args)]


def beam_rows(args, src, n, beam):
    return c.search_rows(args, "caption", ("images", "img/s", "captioning", "captions"), n, beam,
                         lambda out: recur_once(args, src, out, beam), peer_cmd(args, src, beam),
                         (f"; PyTorch's encoder {encoder_jit(args)}", "; start-up and model loading included"))


def main():
    args = c.arg_parser(__doc__.split("\n\n")[0]).parse_args()
    args.caption_model = c.model_folder(args.caption_model, "--caption-model")
    c.data_file(args.caption_data, "--caption-data", "scripts/data/build_emoji_corpus.py")
    os.makedirs(args.work, exist_ok=True)
    src, n = input_list(args)
    c.emit([row for beam in (1, 5) for row in beam_rows(args, src, n, beam)])


if __name__ == "__main__":
    main()
