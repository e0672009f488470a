#!/usr/bin/python3
"""Batch translation of a 2,000-line file (test + valid of the EN-FR corpus), greedy and
beam 5: `recur translate` against bench/peer/torch_translate.py, alternating runs,
median of --reps. The peer runs in two configurations, one process with N intra-op
threads and N single-threaded processes on N contiguous shards of the file; each ratio
is against the faster one. Throughput uses each tool's own translation time (model
loading excluded) and, separately, the whole process's wall time; peak RSS is the whole
process's (summed over the N processes). recur runs the whole vocabulary
(--no-shortlist: its outputs equal the peer's); when the model folder has a vocabulary
shortlist (search.shortlist), recur --shortlist runs too, in the same alternation, against
the same fastest peer, with the BLEU of both recur runs."""

import os
import re

import common as c

# Lines of the sample on which --peer-jit auto picks the decoder step's mode.
JIT_SAMPLE = 500


def input_file(args, n=None, side="en"):
    """The first 2,000 lines (--quick: 40; or n) of test.en followed by valid.en (side
    "fr": their references)."""
    n = n or (40 if args.quick else 2000)
    path = os.path.join(args.work, f"translate-{n}.{side}")
    lines = []
    for name in (f"test.{side}", f"valid.{side}"):
        with open(os.path.join(args.data, name), encoding="utf-8") as f:
            lines += f.read().splitlines()
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines[:n]) + "\n")
    return path, min(n, len(lines))


def has_shortlist(args):
    """Whether the model folder's pipeline names a vocabulary shortlist."""
    with open(os.path.join(args.model, "pipeline.yaml"), encoding="utf-8") as f:
        return re.search(r"^\s+shortlist:", f.read(), re.M) is not None


def recur_once(args, src, out, beam, precision="f32", shortlist=False):
    """One `recur translate`: the whole vocabulary, or (shortlist) the model's shortlist."""
    flags = ["--shortlist"] if shortlist else ["--no-shortlist"]
    r = c.run([c.recur_bin(args), "translate", "-m", args.model, "-i", src, "-o", out,
               "--beam", str(beam), "--threads", str(args.threads), "--precision", precision, *flags])
    return c.summary_sample(r, "lines")


def peer_cmd(args, src, beam, jit):
    """The peer's command line for (output, threads, shard)."""
    return lambda out, threads, shard: [
        c.PYTHON, os.path.join(c.PEER, "torch_translate.py"), "--model", args.model, "-i", src, "-o", out,
        "--beam", str(beam), "--threads", str(threads), "--shard", shard, "--jit", jit]


def pick_jit(args):
    """--peer-jit auto: eager, script and freeze, alternating over --reps runs on the first
    JIT_SAMPLE lines, greedy, 1 process x N threads; the mode with the least median
    translation time. Returns (mode, note)."""
    if args.peer_jit != "auto":
        return args.peer_jit, f"decoder step {args.peer_jit} (--peer-jit)"
    src, n = input_file(args, 8 if args.quick else JIT_SAMPLE)
    out = os.path.join(args.work, "translate.jit")
    modes = ("eager", "script", "freeze")
    seconds = {m: [] for m in modes}
    ran = {}
    for _ in range(args.reps):
        for m in modes:
            s = c.run_peer("threads", args.threads, peer_cmd(args, src, 1, m), out)
            seconds[m].append(s.seconds)
            ran[m] = s.stats.get("jit", m)
    med = {m: c.median(v) for m, v in seconds.items()}
    best = min(modes, key=lambda m: med[m])
    times = ", ".join(f"{m} {med[m]:.2f} s" for m in modes)
    not_scripted = [ran[m] for m in modes if ran[m] != m]
    return best, (f"decoder step {best}, the fastest on {n} lines greedy ({times})"
                  + (f"; {not_scripted[0]}" if not_scripted else ""))


def alternate(args, src, beam, cmd, outs, shortlist):
    """c.alternate, with a run of recur --shortlist (writing outs["shortlist"]) after each
    run of recur when `shortlist`."""
    runs = {k: [] for k in outs}
    for _ in range(args.reps):
        runs["recur"].append(recur_once(args, src, outs["recur"], beam))
        if shortlist:
            runs["shortlist"].append(recur_once(args, src, outs["shortlist"], beam, shortlist=True))
        for k in outs:
            if k not in ("recur", "shortlist"):
                runs[k].append(c.run_peer(k, args.threads, cmd, outs[k]))
    return {k: c.medians(v) for k, v in runs.items()}


def bleu(args, hyp, ref):
    r = c.run([c.recur_bin(args), "eval", "--ref", ref, hyp])
    m = re.search(r"BLEU = ([0-9.]+)", r.out + r.err)
    return float(m.group(1)) if m else None


def shortlist_row(args, n, beam, peers, med, outs):
    """recur --shortlist against the fastest peer (translation time), with BLEU."""
    ref, _ = input_file(args, n, "fr")
    name = "greedy" if beam == 1 else f"beam {beam}"
    best = c.fastest(peers, med, "seconds")
    same = c.same_lines(outs["recur"], outs["shortlist"])
    return {"measure": f"translate {name}, recur --shortlist: sentences/s (translation time)", "unit": "sent/s",
            "recur": n / med["shortlist"].seconds, "torch": n / med[best].seconds,
            "note": f"PyTorch {peers[best]} (fastest, whole vocabulary); recur whole vocabulary "
                    f"{c.fmt(n / med['recur'].seconds)} sent/s; BLEU {bleu(args, outs['shortlist'], ref)} "
                    f"(shortlist) vs {bleu(args, outs['recur'], ref)} (whole vocabulary); "
                    f"identical lines {100 * same:.1f}%"}


def beam_rows(args, src, n, beam, jit, jit_note):
    peers = c.peer_configurations(args.threads)
    cmd = peer_cmd(args, src, beam, jit)
    shortlist = has_shortlist(args)
    outs = {k: os.path.join(args.work, f"translate.{k}.beam{beam}")
            for k in ["recur", *(["shortlist"] if shortlist else []), *peers]}
    med = alternate(args, src, beam, cmd, outs, shortlist)
    same = {k: c.same_lines(outs["recur"], outs[k]) for k in peers}
    name = "greedy" if beam == 1 else f"beam {beam}"
    rows = c.rate_rows(f"translate {name}: sentences/s", "sent/s", n, peers, med, "translation time", (
        f"; {n} lines; identical lines " + ", ".join(f"{100 * same[k]:.1f}% ({peers[k]})" for k in peers)
        + f"; {jit_note}", "; start-up, import torch and model loading included"))
    best = c.fastest(peers, med, "seconds")
    tok = lambda m, f="seconds": m.stats["target_tokens"] / getattr(m, f)  # noqa: E731
    rows.append({"measure": f"translate {name}: target tokens/s", "unit": "tok/s",
                 "recur": tok(med["recur"]), "torch": tok(med[best]),
                 "note": "translation time; tokens incl. eos, each side's own output; "
                         + c.versus(peers, med, "seconds", best, lambda m, f: f"{c.fmt(tok(m, f))} tok/s")})
    rows.append(c.rss_row(f"translate {name}: peak RSS", peers, med, "translation"))
    if shortlist:
        rows.append(shortlist_row(args, n, beam, peers, med, outs))
    return rows


def main():
    args = c.arg_parser(__doc__.split("\n\n")[0]).parse_args()
    os.makedirs(args.work, exist_ok=True)
    jit, jit_note = pick_jit(args)
    src, n = input_file(args)
    c.emit([row for beam in (1, 5) for row in beam_rows(args, src, n, beam, jit, jit_note)])


if __name__ == "__main__":
    main()
