#!/usr/bin/python3
"""PyTorch peer of bench/model/latency_bench.cc: load a recur model folder once, then
translate each input line on its own (batch 1: tokenize, encode, search, detokenize),
timing every line after --warmup untimed ones. Prints one JSON object:
  {"threads", "load_seconds", "latency_ms": [...]}

  /usr/bin/python3 bench/peer/torch_latency.py --model DIR --input FILE [--threads N] [--beam 1]
      [--jit eager|script|freeze]
"""

import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model_folder import ModelFolder  # noqa: E402
import jit_decoder  # noqa: E402
from torch_translate import translate_lines  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True)
    p.add_argument("--input", required=True)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--beam", type=int, default=1)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--jit", choices=("eager", "script", "freeze"), default="eager")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_grad_enabled(False)
    with open(args.input, encoding="utf-8") as f:
        lines = f.read().splitlines()
    start = time.perf_counter()
    folder = ModelFolder(args.model)
    decoder, _ = jit_decoder.wrap(folder.model.decoder, args.jit)
    load = time.perf_counter() - start
    folder.options.beam_size, folder.options.n_best = args.beam, 1

    def translate(line):
        hyp = translate_lines(folder, [line], folder.options, "fast", decoder=decoder)[0][0]
        return "" if hyp is None else folder.target.decode(hyp)

    for _ in range(args.warmup if lines else 0):
        translate(lines[0])
    ms = []
    for line in lines:
        start = time.perf_counter()
        translate(line)
        ms.append(1e3 * (time.perf_counter() - start))
    print(json.dumps({"threads": torch.get_num_threads(), "load_seconds": load, "latency_ms": ms}))


if __name__ == "__main__":
    main()
