#!/usr/bin/python3
"""Achieved GFLOP/s of the encoder, a decoder step and a training step, next to a
square f32 matmul measured in the same run, on synthetic batches of the shipped
training batch size (100 rows x 30 source x 30 target tokens = 3,000 tokens, no
padding). recur: bench/model/flops_bench.cc, whose analytic counts
(bench/model/model_flops.h) also give torch's rate from bench/peer/torch_flops.py.
Sides alternate over --reps runs, each run taking the median of its own repetitions."""

import json
import os

import common as c


def main():
    args = c.arg_parser(__doc__.split("\n\n")[0]).parse_args()
    shape = ["--batch", "8", "--source", "10", "--target", "10", "--matmul", "256", "--reps", "2"] if args.quick \
        else ["--batch", "100", "--source", "30", "--target", "30", "--matmul", "1024", "--reps", "5"]
    common = ["--model", args.model, "--threads", str(args.threads)] + shape
    recur, torch = [], []
    for _ in range(args.reps):
        recur.append(json.loads(c.run([c.recur_bin(args, "recur_flops_bench")] + common).out))
        torch.append(json.loads(c.run([c.PYTHON, os.path.join(c.PEER, "torch_flops.py")] + common,
                                      env=c.torch_env(args.threads)).out))
    peak = c.median([r["matmul"]["gflops"] for r in recur])
    dims = f"B {recur[0]['batch']}, S {recur[0]['source']}, T {recur[0]['target']}"
    n = shape[shape.index("--matmul") + 1]
    rows = [{"measure": f"GFLOP/s: matmul {n}^3 f32 (peak reference)", "unit": "GFLOP/s", "recur": peak,
             "torch": c.median([recur[0]["matmul"]["gflop"] / t["matmul"] for t in torch]),
             "note": "recur ops::matmul (oneDNN) vs torch @"}]
    for key, label in (("encoder", "encoder forward"), ("decoder_step", "decoder step"),
                       ("train_step", "training step fwd+bwd")):
        r = c.median([x[key]["gflops"] for x in recur])
        t = c.median([recur[0][key]["gflop"] / x[key] for x in torch])
        rows.append({"measure": f"GFLOP/s: {label}", "unit": "GFLOP/s", "recur": r, "torch": t,
                     "note": f"{dims}; recur at {100 * r / peak:.0f}% of its matmul"})
    c.emit(rows)


if __name__ == "__main__":
    main()
