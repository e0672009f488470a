#!/usr/bin/python3
"""Trains the shipped EN->FR configuration twice from the same seed, in f32 and in mixed
precision (`recur train --precision bf16`), and prints validation BLEU (greedy, 400 valid
lines) and loss at every validation of both runs side by side, with each run's median
target tokens/s (issue #17: mixed precision may cost at most 0.5 BLEU after the same
number of steps).

  /usr/bin/python3 scripts/data/build_ddtp_corpus.py
  /usr/bin/python3 scripts/eval/compare_training_precision.py --steps 4000 --every 500

The configuration is pipelines/translate-en-fr.yaml with models/en-fr's SentencePiece
model (no tokenizer training), a step budget and validation every --every steps. A run
stopped part way continues where it stopped (`--resume`); runs live in --work.
"""

import argparse
import csv
import os
import statistics
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PRECISIONS = ("f32", "bf16")


def write_yaml(args, precision):
    with open(os.path.join(REPO, "pipelines", "translate-en-fr.yaml"), encoding="utf-8") as f:
        root = yaml.safe_load(f)
    spm = os.path.join(REPO, "models", "en-fr", "spm8k.model")
    for side in ("source", "target"):
        root[side] = {"tokenizer": {"plugin": "sentencepiece", "model": spm}}
    root.pop("search", None)  # its shortlist is learned by `recur shortlist`, not needed here
    data = os.path.join(REPO, "data", "ddtp", "en-fr")
    t = root["train"]
    t["data"].update({k: os.path.join(data, v) for k, v in
                      {"source": "train.en", "target": "train.fr", "valid_source": "valid.en",
                       "valid_target": "valid.fr"}.items()})
    t.update({"max_steps": args.steps, "valid_every": args.every, "log_every": 100, "patience": 1000,
              "epochs": 1000, "precision": precision,
              "checkpoint_dir": os.path.join(os.path.abspath(args.work), f"ckpt-{precision}")})
    os.makedirs(args.work, exist_ok=True)
    path = os.path.join(args.work, f"{precision}.yaml")
    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump(root, f, sort_keys=False)
    return path, t["checkpoint_dir"]


def train(args, precision):
    path, ckpt = write_yaml(args, precision)
    cmd = [args.recur, "train", path, "-o", os.path.join(args.work, f"model-{precision}"), "--threads",
           str(args.threads)]
    if os.path.exists(os.path.join(ckpt, "last.safetensors")):
        cmd.append("--resume")
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True)
    with open(os.path.join(ckpt, "valid_log.csv"), encoding="utf-8") as f:
        valid = {int(r[0]): dict(kv.split("=") for kv in r[1:]) for r in csv.reader(f) if r}
    with open(os.path.join(ckpt, "train_log.csv"), encoding="utf-8") as f:
        speed = [float(r["tokens_per_s"]) for r in csv.DictReader(f)]
    return valid, statistics.median(speed)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--steps", type=int, default=4000)
    p.add_argument("--every", type=int, default=500, help="validation every N steps")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--recur", default=os.path.join(REPO, "build", "bin", "recur"))
    p.add_argument("--work", default=os.path.join(REPO, "runs", "precision"))
    args = p.parse_args()
    runs = {prec: train(args, prec) for prec in PRECISIONS}
    print("| step | BLEU f32 | BLEU bf16 | bf16 - f32 | valid loss f32 | valid loss bf16 |")
    print("|--:|--:|--:|--:|--:|--:|")
    for step in sorted(set(runs["f32"][0]) & set(runs["bf16"][0])):
        a, b = runs["f32"][0][step], runs["bf16"][0][step]
        print(f"| {step} | {float(a['bleu']):.2f} | {float(b['bleu']):.2f} | "
              f"{float(b['bleu']) - float(a['bleu']):+.2f} | {float(a['loss']):.3f} | {float(b['loss']):.3f} |")
    print(f"\nmedian target tok/s: f32 {runs['f32'][1]:.0f}, bf16 {runs['bf16'][1]:.0f} "
          f"({runs['bf16'][1] / runs['f32'][1]:.2f}x)")


if __name__ == "__main__":
    main()
