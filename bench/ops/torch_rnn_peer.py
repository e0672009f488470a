#!/usr/bin/python3
"""PyTorch peer for bench/ops/rnn_bench.cc: nn.LSTM / nn.GRU at the same shapes (batch 64,
30 steps, input 256, hidden 256 / 512), forward without grad, forward with grad, and
backward, reported as GFLOP per core-second (process CPU time, so comparable on a loaded
machine) and GFLOP/s (wall time). Flop counts match the C++ bench (gate GEMMs only;
backward counted as twice the forward).

Run: /usr/bin/python3 bench/ops/torch_rnn_peer.py [threads]   (default 1)
Torch's speed depends on its BLAS: install libopenblas0-pthread for a fair peer.
"""

import sys
import time

import torch

B, T, I = 64, 30, 256


def measure(fn, reps):
    fn()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(reps):
        fn()
    return (time.perf_counter() - wall) / reps, (time.process_time() - cpu) / reps


def main():
    torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s)")
    for name, ctor, gates in (("lstm", torch.nn.LSTM, 4), ("gru", torch.nn.GRU, 3)):
        for H in (256, 512):
            m = ctor(I, H, batch_first=True)
            x = torch.randn(B, T, I)
            flops = 2.0 * T * B * gates * H * (I + H)

            def infer():
                with torch.no_grad():
                    m(x)

            def train_forward():
                return m(x)[0].sum()

            def backward():  # forward outside the timing is not separable here: subtract
                train_forward().backward()

            rows = [("forward_inference", infer, flops),
                    ("forward_training", train_forward, flops)]
            for label, fn, f in rows:
                w, c = measure(fn, 5)
                print(f"{name} H={H} {label:18s} {w * 1e3:8.1f} ms  "
                      f"{f / c * 1e-9:7.1f} GFLOP/core-s  {f / w * 1e-9:7.1f} GFLOP/s")
            wf, cf = measure(train_forward, 5)
            wb, cb = measure(backward, 5)
            print(f"{name} H={H} {'backward':18s} {(wb - wf) * 1e3:8.1f} ms  "
                  f"{2 * flops / (cb - cf) * 1e-9:7.1f} GFLOP/core-s  "
                  f"{2 * flops / (wb - wf) * 1e-9:7.1f} GFLOP/s")


if __name__ == "__main__":
    main()
