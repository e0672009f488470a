#!/usr/bin/python3
"""Batch captioning of an image list (the emoji test split), greedy and beam 5: `recur
caption` against bench/peer/torch_caption.py, alternating runs, median of --reps. The peer
runs in two configurations, one process with N intra-op threads and N single-threaded
processes on N contiguous slices of the list; each ratio is against the faster one.
Images/s uses each tool's own captioning time and, separately, the whole process's wall
time (start-up and model loading included); peak RSS is the whole process's (summed over
the N processes)."""

import os
import sys

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
    # "recur: N images (0 empty) | 0 source tokens, T target tokens | X s, R images/s | ..."
    stats = r.err.strip().splitlines()[-1]
    images = int(stats.split("recur: ")[1].split(" images")[0])
    rate = float(stats.split(" s, ")[1].split(" images/s")[0])
    return c.Sample(images / rate if rate > 0 else r.seconds, r.seconds, r.max_rss_mib)


def peer_cmd(args, src, beam):
    """The peer's command line for (output, threads, shard)."""
    return lambda out, threads, shard: [
        c.PYTHON, os.path.join(c.PEER, "torch_caption.py"), "--model", args.caption_model, "-i", src,
        "-o", out, "--beam", str(beam), "--threads", str(threads), "--shard", shard]


def beam_rows(args, src, n, beam):
    peers = c.peer_configurations(args.threads)
    cmd = peer_cmd(args, src, beam)
    outs = {k: os.path.join(args.work, f"caption.{k}.beam{beam}") for k in ["recur", *peers]}
    med = c.alternate(args, lambda out: recur_once(args, src, out, beam), cmd, outs)
    same = {k: c.same_lines(outs["recur"], outs[k]) for k in peers}
    name = "greedy" if beam == 1 else f"beam {beam}"
    rows = c.rate_rows(f"caption {name}: images/s", "img/s", n, peers, med, "captioning time", (
        f"; {n} images; identical captions " + ", ".join(f"{100 * same[k]:.1f}% ({peers[k]})" for k in peers),
        "; start-up and model loading included"))
    rows.append(c.rss_row(f"caption {name}: peak RSS", peers, med, "captioning"))
    return rows


def main():
    args = c.arg_parser(__doc__.split("\n\n")[0]).parse_args()
    args.caption_model = os.path.abspath(args.caption_model)
    if not os.path.exists(os.path.join(args.caption_model, "pipeline.yaml")):
        sys.exit(f"{args.caption_model}: no pipeline.yaml (train pipelines/caption-emoji.yaml, "
                 "or pass --caption-model DIR)")
    if not os.path.exists(args.caption_data):
        sys.exit(f"{args.caption_data}: missing (scripts/data/build_emoji_corpus.py, or pass --caption-data FILE)")
    os.makedirs(args.work, exist_ok=True)
    src, n = input_list(args)
    c.emit([row for beam in (1, 5) for row in beam_rows(args, src, n, beam)])


if __name__ == "__main__":
    main()
