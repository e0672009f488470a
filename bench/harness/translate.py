#!/usr/bin/python3
"""Batch translation of a 2,000-line file (test + valid of the EN-FR corpus), greedy and
beam 5: `recur translate` against bench/peer/torch_translate.py, alternating runs,
median of --reps. Throughput uses each tool's own translation time (model loading
excluded: see latency.py for that); peak RSS is the whole process's."""

import os

import common as c


def input_file(args):
    """The first 2,000 lines (--quick: 40) of test.en followed by valid.en."""
    n = 40 if args.quick else 2000
    path = os.path.join(args.work, f"translate-{n}.en")
    lines = []
    for name in ("test.en", "valid.en"):
        with open(os.path.join(args.data, name), encoding="utf-8") as f:
            lines += f.read().splitlines()
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines[:n]) + "\n")
    return path, n


def recur_once(args, src, out, beam):
    r = c.run([c.recur_bin(args), "translate", "-m", args.model, "-i", src, "-o", out,
               "--beam", str(beam), "--threads", str(args.threads)])
    # "recur: N lines (...) | S source tokens, T target tokens | X s, R lines/s | ..."
    stats = r.err.strip().splitlines()[-1]
    lines = int(stats.split("recur: ")[1].split(" lines")[0])
    tokens = int(stats.split("source tokens, ")[1].split(" target")[0])
    rate = float(stats.split(" s, ")[1].split(" lines/s")[0])
    return lines / rate if rate > 0 else r.seconds, tokens, r.max_rss_mib


def torch_once(args, src, out, beam):
    import json

    r = c.run([c.PYTHON, os.path.join(c.PEER, "torch_translate.py"), "--model", args.model,
               "-i", src, "-o", out, "--beam", str(beam), "--threads", str(args.threads)],
              env=c.torch_env(args.threads))
    s = json.loads(r.err.strip().splitlines()[-1])
    return s["seconds"], s["target_tokens"], r.max_rss_mib


def same_lines(a, b):
    with open(a, encoding="utf-8") as f, open(b, encoding="utf-8") as g:
        x, y = f.read().splitlines(), g.read().splitlines()
    return sum(p == q for p, q in zip(x, y)) / max(1, max(len(x), len(y)))


def main():
    args = c.arg_parser(__doc__.split("\n\n")[0]).parse_args()
    os.makedirs(args.work, exist_ok=True)
    src, n = input_file(args)
    rows = []
    for beam in (1, 5):
        runs = {"recur": [], "torch": []}
        outs = {k: os.path.join(args.work, f"translate.{k}.beam{beam}") for k in runs}
        for _ in range(args.reps):
            runs["recur"].append(recur_once(args, src, outs["recur"], beam))
            runs["torch"].append(torch_once(args, src, outs["torch"], beam))
        med = {k: (c.median([s for s, _, _ in v]), c.median([t for _, t, _ in v]), max(m for _, _, m in v))
               for k, v in runs.items()}
        name = "greedy" if beam == 1 else f"beam {beam}"
        note = f"{n} lines; identical lines {100 * same_lines(outs['recur'], outs['torch']):.1f}%"
        rows.append({"measure": f"translate {name}: sentences/s", "unit": "sent/s",
                     "recur": n / med["recur"][0], "torch": n / med["torch"][0], "note": note})
        rows.append({"measure": f"translate {name}: target tokens/s", "unit": "tok/s",
                     "recur": med["recur"][1] / med["recur"][0], "torch": med["torch"][1] / med["torch"][0],
                     "note": "tokens incl. eos, each side's own output"})
        rows.append({"measure": f"translate {name}: peak RSS", "unit": "MiB", "lower": True,
                     "recur": med["recur"][2], "torch": med["torch"][2], "note": "whole process"})
    c.emit(rows)


if __name__ == "__main__":
    main()
