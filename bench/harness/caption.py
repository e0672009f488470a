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


class Sample:
    """One run of one side: captioning seconds, whole-process seconds, peak RSS (MiB)."""

    def __init__(self, seconds, wall, rss_mib):
        self.seconds, self.wall, self.rss_mib = seconds, wall, rss_mib


def recur_once(args, src, out, beam):
    r = c.run([c.recur_bin(args), "caption", "-m", args.caption_model, "-i", src, "-o", out,
               "--beam", str(beam), "--n-best", "1", "--threads", str(args.threads)])
    # "recur: N images (0 empty) | 0 source tokens, T target tokens | X s, R images/s | ..."
    stats = r.err.strip().splitlines()[-1]
    images = int(stats.split("recur: ")[1].split(" images")[0])
    rate = float(stats.split(" s, ")[1].split(" images/s")[0])
    return Sample(images / rate if rate > 0 else r.seconds, r.seconds, r.max_rss_mib)


def peer_cmd(args, src, out, beam, threads, shard="0/1"):
    return [c.PYTHON, os.path.join(c.PEER, "torch_caption.py"), "--model", args.caption_model,
            "-i", src, "-o", out, "--beam", str(beam), "--threads", str(threads), "--shard", shard]


def peer_threads_once(args, src, out, beam):
    """One process, torch.set_num_threads(N)."""
    import json

    r = c.run(peer_cmd(args, src, out, beam, args.threads), env=c.torch_env(args.threads))
    s = json.loads(r.err.strip().splitlines()[-1])
    return Sample(s["seconds"], r.seconds, r.max_rss_mib)


def peer_procs_once(args, src, out, beam):
    """N single-threaded processes side by side, one slice each; outputs joined in order.
    Captioning time is the slowest slice's, RSS the sum of the processes' peaks."""
    import json

    n = args.threads
    parts = [f"{out}.{k}" for k in range(n)]
    runs = c.run_parallel([peer_cmd(args, src, parts[k], beam, 1, f"{k}/{n}") for k in range(n)],
                          env=c.torch_env(1))
    with open(out, "w", encoding="utf-8") as dst:
        for part in parts:
            with open(part, encoding="utf-8") as f:
                dst.write(f.read())
            os.remove(part)
    seconds = max(json.loads(r.err.strip().splitlines()[-1])["seconds"] for r in runs)
    return Sample(seconds, runs[0].seconds, sum(r.max_rss_mib for r in runs))


def same_captions(a, b):
    """Share of lines whose caption (the text after the path's TAB) is the same."""
    with open(a, encoding="utf-8") as f, open(b, encoding="utf-8") as g:
        x, y = f.read().splitlines(), g.read().splitlines()
    return sum(p == q for p, q in zip(x, y)) / max(1, max(len(x), len(y)))


def configurations(args):
    """The peer's configurations: name -> (label, run function)."""
    out = {"threads": (f"1 process x {args.threads} threads", peer_threads_once)}
    if args.threads > 1:
        out["procs"] = (f"{args.threads} processes x 1 thread", peer_procs_once)
    return out


def beam_rows(args, src, n, beam):
    peers = configurations(args)
    outs = {k: os.path.join(args.work, f"caption.{k}.beam{beam}") for k in ["recur", *peers]}
    runs = {k: [] for k in outs}
    for _ in range(args.reps):  # alternating: recur, then each peer configuration
        runs["recur"].append(recur_once(args, src, outs["recur"], beam))
        for k, (_, once) in peers.items():
            runs[k].append(once(args, src, outs[k], beam))
    med = {k: Sample(c.median([s.seconds for s in v]), c.median([s.wall for s in v]), max(s.rss_mib for s in v))
           for k, v in runs.items()}
    same = {k: same_captions(outs["recur"], outs[k]) for k in peers}
    name = "greedy" if beam == 1 else f"beam {beam}"
    faster = {f: min(peers, key=lambda k: getattr(med[k], f)) for f in ("seconds", "wall")}
    rows = []
    for measure, field in (("captioning time", "seconds"), ("whole process", "wall")):
        best = faster[field]
        note = f"PyTorch {peers[best][0]} (faster)" + "".join(
            f"; {peers[k][0]}: {c.fmt(n / getattr(med[k], field))} img/s" for k in peers if k != best)
        if field == "seconds":
            note += f"; {n} images; identical captions " + ", ".join(
                f"{100 * same[k]:.1f}% ({peers[k][0]})" for k in peers)
        else:
            note += "; start-up and model loading included"
        rows.append({"measure": f"caption {name}: images/s ({measure})", "unit": "img/s",
                     "recur": n / getattr(med["recur"], field), "torch": n / getattr(med[best], field),
                     "note": note})
    best = faster["seconds"]
    note = "whole process" + ("; PyTorch: sum of the processes" if best == "procs" else "")
    note += f"; PyTorch {peers[best][0]} (the faster captioning)" + "".join(
        f"; {peers[k][0]}: {c.fmt(med[k].rss_mib)} MiB" for k in peers if k != best)
    rows.append({"measure": f"caption {name}: peak RSS", "unit": "MiB", "lower": True,
                 "recur": med["recur"].rss_mib, "torch": med[best].rss_mib, "note": note})
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
