#!/usr/bin/python3
"""PyTorch peer of bench/model/flops_bench.cc: the same synthetic batch shapes on the
reference model of a recur model folder (float32): a square matmul, the encoder, T
decoder steps of B rows, and a training step (forward, cross-entropy with label
smoothing, backward). Prints the median seconds of each as JSON; the harness divides
the C++ bench's flop counts by them.

  /usr/bin/python3 bench/peer/torch_flops.py --model DIR [--threads N] [--batch 64]
      [--source 30] [--target 30] [--reps 5] [--matmul 1024]
"""

import argparse
import json
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model_folder import ModelFolder  # noqa: E402


def median_seconds(reps, body, setup=lambda: None):
    times = []
    for r in range(reps + 1):
        setup()
        start = time.perf_counter()
        body()
        if r:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    for name, default in (("batch", 64), ("source", 30), ("target", 30), ("reps", 5), ("matmul", 1024)):
        p.add_argument(f"--{name}", type=int, default=default)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    folder = ModelFolder(a.model)
    model = folder.model
    g = torch.Generator().manual_seed(1)
    src = torch.randint(4, model.encoder.settings.vocab_size, (a.batch, a.source), generator=g)
    lengths = torch.full((a.batch,), a.source, dtype=torch.int64)
    tgt = torch.randint(4, model.decoder.vocab_size, (a.batch, a.target), generator=g)
    x, y = torch.full((a.matmul, a.matmul), 0.5), torch.full((a.matmul, a.matmul), 0.25)
    out = {"threads": torch.get_num_threads()}
    with torch.no_grad():
        model.eval()
        out["matmul"] = median_seconds(a.reps, lambda: x @ y)
        out["encoder"] = median_seconds(a.reps, lambda: model.encoder(src, lengths))
        memory = model.encoder(src, lengths)
        state = {}

        def steps():
            for k in range(a.target):
                model.decoder.step(state["s"], tgt[:, k])

        out["decoder_step"] = median_seconds(a.reps, steps, lambda: state.update(s=model.decoder.init(memory)))
    model.train()
    pad = folder.target.pad

    def train_step():
        logits, _ = model.decoder(model.encoder(src, lengths), tgt)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1),
                                                 ignore_index=pad, label_smoothing=0.1)
        loss.backward()

    out["train_step"] = median_seconds(a.reps, train_step, lambda: model.zero_grad())
    print(json.dumps(out))


if __name__ == "__main__":
    main()
