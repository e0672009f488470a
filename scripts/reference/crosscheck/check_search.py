#!/usr/bin/python3
"""Checks that the reference's search (recur_search.py) gives bit-identical ids, scores
and log-probs to recur's C++ search on a toy decoder with many tied log-probs
(search_toy.cc: 216 settings of vocabulary, tie density, beam size 1-5, length penalty
and maximum length, 7 sentences each).

  cmake --build build -j2 --target recur
  g++ -std=c++20 -O1 -Iframework/include scripts/reference/crosscheck/search_toy.cc \\
      -Lbuild/lib -lrecur -Wl,-rpath,$PWD/build/lib -o build/search_toy
  build/search_toy > build/search_toy.txt
  /usr/bin/python3 scripts/reference/crosscheck/check_search.py build/search_toy.txt
"""

import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import recur_search  # noqa: E402

MASK = (1 << 64) - 1
LENGTHS = [1, 2, 3, 5, 8, 12, 4]


def mix(x):
    x ^= x >> 30
    x = (x * 0xbf58476d1ce4e5b9) & MASK
    x ^= x >> 27
    x = (x * 0x94d049bb133111eb) & MASK
    return x ^ (x >> 31)


class ToyDecoder:
    """search_toy.cc's decoder: the state is a hash of the row's key and its tokens."""

    def __init__(self, vocab, levels, seed):
        self.vocab, self.levels, self.seed = vocab, levels, seed

    def init(self, rows):
        return [mix((self.seed * 1000 + b + 1) & MASK) for b in range(rows)]

    def step(self, state, prev):
        out = np.zeros((len(state), self.vocab), np.float32)
        for r, p in enumerate(prev):
            state[r] = mix(state[r] ^ ((p + 0x9e3779b97f4a7c15) & MASK))
            for v in range(self.vocab):
                x = mix((state[r] + v * 0x632be59bd9b4e019) & MASK)
                out[r, v] = np.float32(-float(x % self.levels)) / np.float32(8)
        return torch.from_numpy(out), None

    def reorder(self, state, index):
        state[:] = [state[i] for i in index]


def parse(path):
    blocks = []
    with open(path) as f:
        for line in f:
            p = line.split()
            if p[0] == "C":
                vocab, levels, k = int(p[1]), int(p[2]), int(p[3])
                o = recur_search.Options(beam_size=k, n_best=k, length_penalty=float.fromhex(p[4]),
                                         max_length_a=float.fromhex(p[5]), max_length_b=int(p[6]),
                                         max_length_cap=int(p[7]))
                blocks.append((ToyDecoder(vocab, levels, int(p[8])), o, {}))
            else:
                hyp = (float.fromhex(p[2]), float.fromhex(p[3]), [int(i) for i in p[4:]])
                blocks[-1][2].setdefault(int(p[1]), []).append(hyp)
    return blocks


def main(path):
    blocks = parse(path)
    bad = hyps = 0
    for decoder, o, expected in blocks:
        for r, found in enumerate(recur_search.decode(decoder, len(LENGTHS), LENGTHS, o)):
            got = [(float(h.score), float(h.log_prob), h.ids) for h in found]
            hyps += len(got)
            if got != expected.get(r, []):
                bad += 1
                print(f"differs: {o} row {r}\n  reference {got}\n  recur     {expected.get(r)}")
    print(f"{len(blocks)} settings, {hyps} hypotheses, {bad} rows differ")
    return 1 if bad or not blocks else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
