#!/usr/bin/python3
"""Training throughput at the shipped configuration (pipelines/translate-en-fr.yaml:
model sizes, batch_tokens, Adam, label smoothing, dropout, clipping) on the EN-FR
training corpus, with the model folder's tokenizer (no vocabulary training): target
tokens/s of `recur train` (max_steps, its log lines) and of bench/peer/torch_train.py,
which runs with N threads and with 1; the ratio is against the faster setting.
The first log window (warm-up: primitive creation, allocator) is dropped; the median of
the others is reported. Sides alternate over --reps runs."""

import json
import os

import yaml

import common as c


def train_yaml(args, steps, log_every):
    """The shipped pipeline's settings with absolute paths, the model folder's
    tokenizers, no validation and a step budget."""
    with open(os.path.join(c.REPO, "pipelines", "translate-en-fr.yaml"), encoding="utf-8") as f:
        root = yaml.safe_load(f)
    with open(os.path.join(args.model, "pipeline.yaml"), encoding="utf-8") as f:
        model = yaml.safe_load(f)
    for side in ("source", "target"):
        tok = dict(model[side]["tokenizer"])
        for key in ("model", "vocab"):
            if key in tok:
                tok[key] = os.path.abspath(os.path.join(args.model, tok[key]))
        root[side] = {"tokenizer": tok}
    t = root["train"]
    t["data"] = {"source": os.path.abspath(os.path.join(args.data, "train.en")),
                 "target": os.path.abspath(os.path.join(args.data, "train.fr")),
                 "max_length": t["data"].get("max_length", 100)}
    t.update({"max_steps": steps, "log_every": log_every, "valid_every": 10 * steps, "max_minutes": 0,
              "epochs": 1000, "metric": "loss", "checkpoint_dir": os.path.abspath(os.path.join(args.work, "train-ckpt"))})
    t.pop("save_dtype", None)
    path = os.path.join(args.work, "train.yaml")
    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump(root, f, sort_keys=False)
    return path


def main():
    args = c.arg_parser(__doc__.split("\n\n")[0]).parse_args()
    os.makedirs(args.work, exist_ok=True)
    steps, log_every = (6, 2) if args.quick else (60, 10)
    path = train_yaml(args, steps, log_every)
    settings = c.thread_settings(args.threads)
    sides = ["recur", *settings]
    rates, rss = {k: [] for k in sides}, {k: [] for k in sides}
    for _ in range(args.reps):  # alternating: recur, then the peer at each thread setting
        r = c.run([c.recur_bin(args), "train", path, "-o", os.path.join(args.work, "train-model"),
                   "--threads", str(args.threads)])
        rates["recur"].append(c.steady(c.logged_rates(r.err, "tok/s")))
        rss["recur"].append(r.max_rss_mib)
        for n in settings:
            r = c.run([c.PYTHON, os.path.join(c.PEER, "torch_train.py"), path, "--steps", str(steps),
                       "--threads", str(c.setting_threads(n))], env=c.setting_env(n))
            rates[n].append(c.steady([json.loads(l)["tokens_per_s"] for l in r.out.splitlines() if l.startswith("{")]))
            rss[n].append(r.max_rss_mib)
    rate = {k: c.median(v) for k, v in rates.items()}
    best = max(settings, key=lambda n: rate[n])
    others = "".join(f"; {c.setting_label(n)}: {c.fmt(rate[n])} tok/s" for n in settings if n != best)
    with open(path, encoding="utf-8") as f:
        budget = yaml.safe_load(f)["train"]["batch_tokens"]
    note = f"{steps} steps, batch_tokens {budget}, median of windows of {log_every}"
    c.emit([
        {"measure": "training: target tokens/s", "unit": "tok/s", "recur": rate["recur"], "torch": rate[best],
         "note": f"{note}; PyTorch {c.setting_label(best)} (fastest){others}"},
        {"measure": "training: peak RSS", "unit": "MiB", "lower": True, "recur": max(rss["recur"]),
         "torch": max(rss[best]), "note": f"whole process, corpus tokenized in memory; PyTorch {c.setting_label(best)}"},
    ])


if __name__ == "__main__":
    main()
