#!/usr/bin/python3
"""Single-sentence latency (batch 1, greedy) on sentences of about 20 source tokens,
and model load time. Both sides load the model once and time each sentence inside
the process (bench/model/latency_bench.cc, bench/peer/torch_latency.py): timing
`recur translate` per line from outside would add process start and model loading
to every sentence, and a long-running `recur translate` batches what it reads.
Runs alternate; latencies of all runs are pooled for the median and p90. recur runs in
f32 and, on a CPU with native bf16, in bf16 too (its own row; the peer stays f32). The peer runs
with N threads and with 1 (batch 1 leaves little to split); its rows are the setting with
the lower median, the other's in the notes. recur likewise runs at N threads and at 1."""

import json
import os

import common as c


def sentences(args):
    """Lines of test.en with 16-24 whitespace words (about 20 subword tokens or more),
    100 of them (--quick: 5)."""
    n = 5 if args.quick else 100
    with open(os.path.join(args.data, "test.en"), encoding="utf-8") as f:
        picked = [l for l in f.read().splitlines() if 16 <= len(l.split()) <= 24][:n]
    if not picked:
        raise SystemExit("latency: no test.en line of 16-24 words")
    path = os.path.join(args.work, "latency.en")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(picked) + "\n")
    return path, len(picked)


def main():
    args = c.arg_parser(__doc__.split("\n\n")[0]).parse_args()
    os.makedirs(args.work, exist_ok=True)
    path, n = sentences(args)
    settings = c.thread_settings(args.threads)
    jit = "eager" if args.peer_jit == "auto" else args.peer_jit
    cmds = {}
    counts = sorted({c.setting_threads(k) for k in settings}, reverse=True)
    for k in counts:  # recur too at N threads and at 1: batch 1 leaves little to split
        for precision in ("f32", "bf16"):
            cmds[f"recur {precision} {k}"] = ([c.recur_bin(args, "recur_latency_bench"), "--model", args.model,
                                               "--input", path, "--threads", str(k), "--precision", precision], None)
    for k in settings:
        cmds[k] = ([c.PYTHON, os.path.join(c.PEER, "torch_latency.py"), "--model", args.model, "--input", path,
                    "--threads", str(c.setting_threads(k)), "--jit", jit], c.setting_env(k))
    lat, load = {k: [] for k in cmds}, {k: [] for k in cmds}
    bf16 = True
    for _ in range(args.reps):  # alternating: recur, then the peer at each thread setting
        for side, (cmd, env) in cmds.items():
            r = json.loads(c.run(cmd, env=env).out)
            lat[side] += r["latency_ms"]
            load[side].append(r["load_seconds"])
            if str(side).startswith("recur bf16"):
                bf16 = r.get("precision") == "bf16"  # f32 on a CPU without native bf16
    best = min(settings, key=lambda k: c.median(lat[k]))
    for precision in ("f32", "bf16"):  # recur's faster thread setting, as the peer's
        k = min(counts, key=lambda k: c.median(lat[f"recur {precision} {k}"]))
        lat["recur" if precision == "f32" else "recur bf16"] = lat[f"recur {precision} {k}"]
        load["recur" if precision == "f32" else "recur bf16"] = load[f"recur {precision} {k}"]
        if precision == "f32":
            recur_threads = k
    # Start-up as a user sees it: a process translating one line, wall time.
    one = os.path.join(args.work, "one-line.en")
    with open(path, encoding="utf-8") as f, open(one, "w", encoding="utf-8") as g:
        g.write(f.readline())
    start = {"recur": [], "torch": []}
    for _ in range(args.reps):
        start["recur"].append(c.run([c.recur_bin(args), "translate", "-m", args.model, "-i", one, "--beam", "1",
                                     "--threads", str(args.threads)]).seconds)
        start["torch"].append(c.run([c.PYTHON, os.path.join(c.PEER, "torch_translate.py"), "--model", args.model,
                                     "-i", one, "--beam", "1", "--threads", str(c.setting_threads(best)), "--jit", jit],
                                    env=c.setting_env(best)).seconds)
    peer = f"PyTorch {c.setting_label(best)} (lower median; decoder step {jit})"
    other = lambda f: "".join(f"; {c.setting_label(k)}: {c.fmt(f(lat[k]))} ms" for k in settings if k != best)  # noqa: E731
    note = (f"{n} sentences of 16-24 words x {args.reps} runs; {peer}; recur {c.threads_label(recur_threads)} "
            f"(lower median), as its model folder says (its shortlist, if any)")
    p90 = lambda xs: c.percentile(xs, 90)  # noqa: E731
    c.emit([
        {"measure": "latency batch 1 greedy: median", "unit": "ms", "lower": True,
         "recur": c.median(lat["recur"]), "torch": c.median(lat[best]), "note": note + other(c.median)},
        {"measure": "latency batch 1 greedy: p90", "unit": "ms", "lower": True,
         "recur": p90(lat["recur"]), "torch": p90(lat[best]), "note": note + other(p90)},
        *([{"measure": "latency batch 1 greedy, recur --precision bf16: median", "unit": "ms", "lower": True,
            "recur": c.median(lat["recur bf16"]), "torch": c.median(lat[best]),
            "note": note + "; PyTorch in f32; recur f32 in the row above"}] if bf16 else []),
        {"measure": "model load (in process)", "unit": "s", "lower": True,
         "recur": c.median(load["recur"]), "torch": c.median(load[best]),
         "note": "plugins + YAML + weights; torch: YAML + weights (import torch excluded)"
                 + ("" if jit == "eager" else f" + torch.jit {jit}")},
        {"measure": "start-up: translate 1 line", "unit": "s", "lower": True,
         "recur": c.median(start["recur"]), "torch": c.median(start["torch"]),
         "note": f"process wall time, incl. interpreter and import torch; PyTorch {c.setting_label(best)}"},
    ])

if __name__ == "__main__":
    main()
