#!/usr/bin/python3
"""recur in bf16 (and int8) against recur in f32 (issue #17's bf16 and int8 items: the
same run, the same inputs, alternating): batch translation of the translate rows' 2,000
lines (greedy and beam 5, also in int8: dynamically quantized linear layers) with BLEU
against the references, generation of the generate rows (greedy) and
captioning of the caption rows (greedy) when their models exist, and mixed-precision
training (`recur train --precision bf16`) at the training rows' configuration against f32
training, target tokens/s by the runs' own logs. Each row's "recur"
column is bf16, its "PyTorch" column recur's own f32 (the rows say so); throughput by
each run's own time, median of --reps. On a CPU without AVX512-BF16 or AMX recur runs
bf16 as f32 (it says so), and without AVX512-VNNI or AVX-VNNI int8 as f32; the rows show
it (the machine description lists the CPU's instruction sets)."""

import json
import os
import re

import caption
import common as c
import generate
import train
import translate

PRECISIONS = ("bf16", "f32")
TRANSLATE_PRECISIONS = ("bf16", "int8", "f32")


def alternate(args, once, outs, precisions=PRECISIONS):
    """--reps alternating runs of once(out, precision) for each precision in turn; medians."""
    runs = {p: [] for p in precisions}
    for _ in range(args.reps):
        for p in precisions:
            runs[p].append(once(outs[p], p))
    return {p: c.medians(v) for p, v in runs.items()}


def bleu(args, hyp, ref):
    r = c.run([c.recur_bin(args), "eval", "--ref", ref, hyp])
    m = re.search(r"BLEU = ([0-9.]+)", r.out + r.err)
    return float(m.group(1)) if m else None


def same_texts(a, b):
    """Share of generated samples (JSON lines) whose text is the same; their log-probs
    differ in the last digits."""
    with open(a, encoding="utf-8") as f, open(b, encoding="utf-8") as g:
        x, y = [json.loads(line)["text"] for line in f], [json.loads(line)["text"] for line in g]
    return sum(p == q for p, q in zip(x, y)) / max(1, max(len(x), len(y)))


def rows_for(name, unit, n, med, outs, extra="", same=None, p="bf16"):
    same = c.same_lines(outs[p], outs["f32"]) if same is None else same
    return [{"measure": f"{name}: {unit}, recur {p} vs recur f32", "unit": unit,
             "recur": n / med[p].seconds, "torch": n / med["f32"].seconds, "versus": "recur f32",
             "note": f"own time; identical outputs {100 * same:.1f}%{extra}"}]


def translate_rows(args):
    src, n = translate.input_file(args)
    ref, _ = translate.input_file(args, n, "fr")
    rows = []
    for beam in (1, 5):
        outs = {p: os.path.join(args.work, f"precision.translate.{p}.beam{beam}") for p in TRANSLATE_PRECISIONS}
        med = alternate(args, lambda out, p: translate.recur_once(args, src, out, beam, p), outs,
                        TRANSLATE_PRECISIONS)
        scores = {p: bleu(args, outs[p], ref) for p in TRANSLATE_PRECISIONS}
        for p in ("bf16", "int8"):
            rows += rows_for(f"translate {'greedy' if beam == 1 else f'beam {beam}'}", "sent/s", n, med, outs,
                             f"; BLEU {scores[p]} ({p}) vs {scores['f32']} (f32) on {n} lines", p=p)
    return rows


def generate_rows(args):
    if not os.path.exists(os.path.join(args.lm_model, "pipeline.yaml")):
        return []
    model = generate.snapshot(args)
    length = generate.QUICK_MAX_LENGTH if args.quick else generate.MAX_LENGTH
    outs = {p: os.path.join(args.work, f"precision.generate.{p}.jsonl") for p in PRECISIONS}
    med = alternate(args, lambda out, p: generate.recur_once(args, model, out, True, length, p), outs)
    chars = med["f32"].stats["characters"]
    return rows_for("generate greedy", "char/s", chars, med, outs, f"; {generate.SAMPLES} samples",
                    same_texts(outs["bf16"], outs["f32"]))


def caption_rows(args):
    if not (os.path.exists(os.path.join(args.caption_model, "pipeline.yaml"))
            and os.path.exists(args.caption_data)):
        return []
    args.caption_model = os.path.abspath(args.caption_model)
    src, n = caption.input_list(args)
    outs = {p: os.path.join(args.work, f"precision.caption.{p}") for p in PRECISIONS}
    med = alternate(args, lambda out, p: caption.recur_once(args, src, out, 1, p), outs)
    return rows_for("caption greedy", "images/s", n, med, outs)


def training_rows(args):
    """Target tokens/s of `recur train` at the training rows' settings, bf16 against f32,
    alternating; each run's log windows but the first (warm-up), median over runs."""
    steps, log_every = (6, 2) if args.quick else (60, 10)
    path = train.train_yaml(args, steps, log_every)
    rates = {p: [] for p in PRECISIONS}
    for _ in range(args.reps):
        for p in PRECISIONS:
            r = c.run([c.recur_bin(args), "train", path, "-o", os.path.join(args.work, f"precision.train.{p}"),
                       "--threads", str(args.threads), "--precision", p])
            rates[p].append(c.steady(c.logged_rates(r.err, "tok/s")))
    rate = {p: c.median(v) for p, v in rates.items()}
    return [{"measure": "training: tok/s, recur bf16 vs recur f32", "unit": "tok/s", "recur": rate["bf16"],
             "torch": rate["f32"], "versus": "recur f32",
             "note": f"mixed precision (f32 master weights); {steps} steps, median of windows of {log_every}"}]


def main():
    args = c.arg_parser(__doc__.split("\n\n")[0]).parse_args()
    os.makedirs(args.work, exist_ok=True)
    c.emit(translate_rows(args) + generate_rows(args) + caption_rows(args) + training_rows(args))


if __name__ == "__main__":
    main()
