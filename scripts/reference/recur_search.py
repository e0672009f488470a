"""recur's greedy and beam search (framework/src/search/), ported step for step.

Arithmetic follows the C++ code: log-probs are float32, hypothesis log-probs accumulate
in float32, the GNMT length penalty ((5 + length) / 6) ^ alpha is computed in float32,
and every tie is broken the same way (top-k: lower id first; beam candidates: parent,
then token). Given the same per-step log-probs, ids and scores are identical.

The decoder is anything with init(memory) -> state, step(state, prev_ids) ->
(log_probs [B, V], attention [B, S]) and reorder(state, index), like
recur_reference.AttentionDecoder.
"""

import copy
import ctypes
import ctypes.util
import math
from dataclasses import dataclass, field

import numpy as np

f32 = np.float32


@dataclass
class Options:
    beam_size: int = 5
    n_best: int = 1
    length_penalty: float = 0.6
    max_length_a: float = 1.5
    max_length_b: int = 10
    max_length_cap: int = 512
    no_repeat_ngram: int = 0        # a hypothesis never repeats an n-gram of this many tokens
    coverage_penalty: float = 0.0   # GNMT beta, beam search's finished scores
    return_attention: bool = False
    bos_id: int = 1
    eos_id: int = 2


@dataclass
class Hypothesis:
    ids: list = field(default_factory=list)        # without bos and eos
    score: np.float32 = f32(0)                      # log_prob / length penalty
    log_prob: np.float32 = f32(0)                   # sum of token log-probs (eos included)
    attention: list = field(default_factory=list)   # per output step (incl. eos): [S]


def _load_powf():
    """The C library's powf, which recur's std::pow(float, float) calls; numpy's float32
    power differs from it in the last bit for some inputs."""
    try:
        libm = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
        powf = libm.powf
        powf.restype, powf.argtypes = ctypes.c_float, [ctypes.c_float, ctypes.c_float]
        return lambda x, y: f32(powf(float(x), float(y)))
    except (OSError, AttributeError):
        return lambda x, y: f32(math.pow(float(x), float(y)))


_powf = _load_powf()


def length_penalty(length, alpha):
    """GNMT ((5 + length) / 6) ^ alpha, in float32 like recur."""
    alpha = f32(alpha)
    if alpha == 0:
        return f32(1)
    return _powf((f32(5) + f32(length)) / f32(6), alpha)


def max_output_length(o, source_length):
    """Maximum number of output tokens (without eos): floor(a * len) + b in [1, cap]."""
    n = math.floor(float(f32(o.max_length_a)) * float(source_length)) + float(o.max_length_b)
    return min(max(int(n), 1), max(1, o.max_length_cap))


def top_k(row, k):
    """The k best (log-prob, id) of a float32 row, best first; ties: lower id first."""
    k = min(k, row.shape[0])
    order = np.lexsort((np.arange(row.shape[0]), -row))[:k]
    return [(row[i], int(i)) for i in order]


COVERAGE_FLOOR = f32(1e-6)  # log(min(coverage, 1)) of a position never attended stays finite


def banned_tokens(ids, n):
    """Tokens that would complete an n-gram already in ids (n = 0: none)."""
    if n <= 0 or len(ids) < n - 1:
        return []
    if n == 1:
        return sorted(set(ids))
    tail = ids[len(ids) - (n - 1):]
    return sorted({ids[i + n - 1] for i in range(len(ids) - n + 1) if ids[i:i + n - 1] == tail})


def without_repeats(row, ids, o):
    """A row of log-probs with the tokens no_repeat_ngram bans at -inf."""
    banned = banned_tokens(ids, o.no_repeat_ngram)
    if not banned:
        return row
    row = row.copy()
    row[banned] = -np.inf
    return row


def coverage_penalty(coverage, beta):
    """GNMT: beta * sum_i log(min(coverage_i, 1)) over the source's real positions, in
    float32 like recur (coverage floored at COVERAGE_FLOOR)."""
    total = f32(0)
    for c in coverage:
        total = f32(total + np.log(max(min(f32(c), f32(1)), COVERAGE_FLOOR), dtype=np.float32))
    return f32(f32(beta) * total)


def _step(decoder, state, prev, hook):
    log_probs, attention = decoder.step(state, prev)
    lp = np.asarray(log_probs.detach().cpu().numpy(), dtype=np.float32)
    if hook is not None:
        lp = np.asarray(hook(lp), dtype=np.float32)
    att = None if attention is None else attention.detach().cpu().double().numpy()
    return lp, att


def _finish(h, o):
    h.score = f32(h.log_prob / length_penalty(len(h.ids) + 1, o.length_penalty))
    return h


def greedy(decoder, memory, source_lengths, o, hook=None):
    n = len(source_lengths)
    hyps = [Hypothesis() for _ in range(n)]
    active = list(range(n))
    limit = [max_output_length(o, s) for s in source_lengths]
    state = decoder.init(memory)
    prev = [o.bos_id] * n
    while active:
        lp, att = _step(decoder, state, prev, hook)
        keep, next_active, next_prev = [], [], []
        for r, row in enumerate(active):
            h = hyps[row]
            row_lp = without_repeats(lp[r], h.ids, o)
            token = top_k(row_lp, 1)[0][1]
            h.log_prob = f32(h.log_prob + row_lp[token])
            if o.return_attention:
                h.attention.append(att[r].copy())
            finished = token == o.eos_id
            if not finished:
                h.ids.append(token)
                finished = len(h.ids) >= limit[row]
            if finished:
                _finish(h, o)
            else:
                keep.append(r)
                next_active.append(row)
                next_prev.append(token)
        if not next_active:
            break
        if len(keep) < len(active):
            decoder.reorder(state, keep)
        active, prev = next_active, next_prev
    return [[h] for h in hyps]


class _RowSearch:
    def __init__(self, limit, state_row, bos, source_length):
        self.live = [(Hypothesis(), state_row, bos)]  # (hypothesis, state row, last token)
        self.coverage = [None]  # per live hypothesis: attention summed so far (float32)
        self.finished = []
        self.limit = limit
        self.source_length = source_length
        self.done = False


def _can_improve(rs, o):
    if not rs.live:
        return False
    if len(rs.finished) < o.beam_size:
        return True
    best_finished = max((h.score for h in rs.finished), default=f32(-np.inf))
    best_live = max(h.log_prob for h, _, _ in rs.live)
    bound = f32(best_live / length_penalty(rs.limit + 1, o.length_penalty))
    return bound > best_finished


def _advance(rs, lp, att, o):
    k = o.beam_size
    cands = []
    for p, (h, state_row, _) in enumerate(rs.live):
        for v, token in top_k(without_repeats(lp[state_row], h.ids, o), 2 * k):
            cands.append((f32(h.log_prob + v), p, token))
    cands.sort(key=lambda c: (-c[0], c[1], c[2]))
    nxt, coverage = [], []
    for log_prob, p, token in cands:
        if len(nxt) >= k:
            break
        parent, state_row, _ = rs.live[p]
        h = copy.deepcopy(parent)
        h.log_prob = log_prob
        if o.return_attention:
            h.attention.append(att[state_row].copy())
        cov = None
        if o.coverage_penalty > 0:
            if att is None:
                raise ValueError("search: coverage_penalty needs the decoder's attention")
            step_att = att[state_row][:rs.source_length].astype(np.float32)
            before = rs.coverage[p]
            cov = step_att.copy() if before is None else (before + step_att).astype(np.float32)
        if token == o.eos_id or len(h.ids) + 1 >= rs.limit:
            if token != o.eos_id:
                h.ids.append(token)
            _finish(h, o)
            if cov is not None:
                h.score = f32(h.score + coverage_penalty(cov, o.coverage_penalty))
            rs.finished.append(h)
            continue
        h.ids.append(token)
        nxt.append((h, state_row, token))
        coverage.append(cov)
    rs.live = nxt
    rs.coverage = coverage
    rs.done = not _can_improve(rs, o)


def beam(decoder, memory, source_lengths, o, hook=None):
    search = [_RowSearch(max_output_length(o, s), i, o.bos_id, s)
              for i, s in enumerate(source_lengths)]
    state = decoder.init(memory)
    state_rows = len(source_lengths)
    while True:
        prev = [0] * state_rows
        for rs in search:
            if not rs.done:
                for _, state_row, last in rs.live:
                    prev[state_row] = last
        lp, att = _step(decoder, state, prev, hook)
        index = []
        for rs in search:
            if rs.done:
                continue
            _advance(rs, lp, att, o)
            if rs.done:
                continue
            renumbered = []
            for h, state_row, last in rs.live:
                index.append(state_row)
                renumbered.append((h, len(index) - 1, last))
            rs.live = renumbered
        if not index:
            break
        decoder.reorder(state, index)
        state_rows = len(index)
    result = []
    for rs in search:
        ranked = sorted(rs.finished, key=lambda h: -h.score)  # stable, like std::stable_sort
        result.append(ranked[:o.n_best])
    return result


def decode(decoder, memory, source_lengths, o, hook=None):
    """n-best hypotheses per row, best first. `hook(log_probs) -> log_probs` may alter
    each step's float32 log-probs (used to test how robust a result is)."""
    if o.beam_size < 1:
        raise ValueError("search: beam size must be at least 1")
    if not 1 <= o.n_best <= o.beam_size:
        raise ValueError(f"search: n-best must be between 1 and the beam size ({o.beam_size})")
    if not source_lengths:
        return []
    if o.beam_size == 1:
        return greedy(decoder, memory, source_lengths, o, hook)
    return beam(decoder, memory, source_lengths, o, hook)
