"""recur's greedy and beam search rules (scripts/reference/recur_search.py) with the
per-step work done by torch on whole batches, the way a PyTorch user would write it.

recur_search.py is a step-for-step port built for exactness (numpy lexsort over the
vocabulary per hypothesis, deep copies); timing it would measure Python, not PyTorch.
This version keeps the same rules (2K candidates per sentence ordered by log-prob, then
parent, then token; eos and the length limit finish a hypothesis; the same stopping
test and length penalty) but selects candidates with one torch.topk per step. Ties at
the top-k boundary may be broken differently; the harness reports identical lines.
no_repeat_ngram is applied as recur applies it; coverage_penalty is not implemented.
"""

import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "scripts", "reference"))
from recur_search import Hypothesis, banned_tokens, length_penalty, max_output_length  # noqa: E402

f32 = np.float32


def _finish(ids, log_prob, o):
    return Hypothesis(ids=ids, log_prob=f32(log_prob),
                      score=f32(f32(log_prob) / length_penalty(len(ids) + 1, o.length_penalty)))


def _ban_repeats(lp, histories, o):
    """recur's no_repeat_ngram: per row, the tokens that would repeat an n-gram of its
    history at -inf (in place; nothing when the option is 0)."""
    n = getattr(o, "no_repeat_ngram", 0)
    if n <= 0:
        return lp
    for r, ids in enumerate(histories):
        banned = banned_tokens(list(ids), n)
        if banned:
            lp[r, banned] = float("-inf")
    return lp


def greedy(decoder, memory, source_lengths, o):
    n = len(source_lengths)
    limit = [max_output_length(o, s) for s in source_lengths]
    ids = [[] for _ in range(n)]
    log_prob = [f32(0)] * n
    result = [None] * n
    state = decoder.init(memory)
    active = list(range(n))
    prev = [o.bos_id] * n
    while active:
        lp, _ = decoder.step(state, prev)
        lp = _ban_repeats(lp, [ids[row] for row in active], o)
        best, token = lp.max(dim=1)  # first maximum: the lowest id on ties, like recur
        best, token = best.tolist(), token.tolist()
        keep, next_active, next_prev = [], [], []
        for r, row in enumerate(active):
            log_prob[row] = f32(log_prob[row] + f32(best[r]))
            t = token[r]
            if t != o.eos_id:
                ids[row].append(t)
            if t == o.eos_id or len(ids[row]) >= limit[row]:
                result[row] = [_finish(ids[row], log_prob[row], o)]
            else:
                keep.append(r)
                next_active.append(row)
                next_prev.append(t)
        if next_active and len(keep) < len(active):
            decoder.reorder(state, keep)
        active, prev = next_active, next_prev
    return result


class _Sentence:
    def __init__(self, limit, o):
        self.limit, self.live, self.finished, self.done = limit, [(tuple(), f32(0), o.bos_id)], [], False

    def can_improve(self, o):
        if not self.live:
            return False
        if len(self.finished) < o.beam_size:
            return True
        best_finished = max(h.score for h in self.finished)
        best_live = max(lp for _, lp, _ in self.live)
        return f32(best_live / length_penalty(self.limit + 1, o.length_penalty)) > best_finished


def beam(decoder, memory, source_lengths, o):
    k, eos = o.beam_size, o.eos_id
    sentences = [_Sentence(max_output_length(o, s), o) for s in source_lengths]
    state = decoder.init(memory)
    while True:
        running = [s for s in sentences if not s.done]
        prev = [last for s in running for _, _, last in s.live]
        lp, _ = decoder.step(state, prev)
        lp = _ban_repeats(lp, [ids for s in running for ids, _, _ in s.live], o)
        vocab = lp.shape[1]
        # Candidate scores [sentences, K, V]; rows of a sentence are contiguous.
        hyp_lp = torch.tensor([h_lp for s in running for _, h_lp, _ in s.live], dtype=lp.dtype)
        slot = [j for s in running for j in range(len(s.live))]
        sent = [i for i, s in enumerate(running) for _ in s.live]
        cand = torch.full((len(running), k, vocab), float("-inf"), dtype=lp.dtype)
        cand[sent, slot] = lp + hyp_lp[:, None]
        values, index = cand.view(len(running), k * vocab).topk(2 * k, dim=1)
        values, index = values.tolist(), index.tolist()
        reorder, base = [], 0
        counts = [len(s.live) for s in running]
        for i, s in enumerate(running):
            ranked = sorted(zip(values[i], index[i]), key=lambda c: (-c[0], c[1]))
            live = []
            for value, flat in ranked:
                if len(live) >= k or value == float("-inf"):
                    break
                parent, token = divmod(flat, vocab)
                ids, _, _ = s.live[parent]
                if token == eos:
                    s.finished.append(_finish(list(ids), value, o))
                    continue
                ids = ids + (token,)
                if len(ids) >= s.limit:
                    s.finished.append(_finish(list(ids), value, o))
                    continue
                live.append((ids, f32(value), token, base + parent))
            s.live = [(ids, v, t) for ids, v, t, _ in live]
            s.done = not s.can_improve(o)
            if not s.done:
                reorder.extend(row for _, _, _, row in live)
            base += counts[i]
        if not reorder:
            break
        decoder.reorder(state, reorder)
    return [sorted(s.finished, key=lambda h: -h.score)[: o.n_best] for s in sentences]


def decode(decoder, memory, source_lengths, o):
    if getattr(o, "coverage_penalty", 0) > 0:
        raise ValueError("fast_search: coverage_penalty is not implemented")
    return greedy(decoder, memory, source_lengths, o) if o.beam_size == 1 else \
        beam(decoder, memory, source_lengths, o)
