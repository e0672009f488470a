"""The reference decoder's step (scripts/reference/recur_reference.py) under
torch.jit.script and torch.jit.freeze, for the PyTorch peer's search loop.

The reference itself does not script: its DecoderState holds a tensor or a tuple
(GRU / LSTM) and Memory is a dataclass. This module scripts the step's arithmetic only
(embedding, recurrent cell, attention, output layer, projection, log-softmax) with the
reference's own parameters, for the decoders the shipped models use: GRU or LSTM,
`dot` or `general` attention, without copy or coverage. `wrap()` returns the reference
decoder unchanged for any other kind (and says why), so a caller can always use it.
"""

from typing import Tuple

import torch
from torch import Tensor, nn


class _Step(nn.Module):
    """One decoder step: ids [B], hidden [L, B, H] (and cell for LSTM) -> log P [B, V]."""

    lstm: torch.jit.Final[bool]  # a constant: the other cell's branch is not compiled

    def __init__(self, dec, lstm: bool):
        super().__init__()
        s = dec.settings
        self.lstm = lstm
        self.embedding = dec.embedding.weight.detach()
        self.rnn = dec.rnn
        self.output = dec.output
        self.w_proj = (dec.embedding.weight if s.tie_embeddings else dec.projection.weight).detach()
        self.b_proj = dec.projection.bias.detach()

    def forward(self, ids: Tensor, h0: Tensor, c0: Tensor, keys: Tensor, states: Tensor,
                mask: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
        e = torch.nn.functional.embedding(ids[:, None], self.embedding)
        if self.lstm:
            h, (h1, c1) = self.rnn(e, (h0, c0))
        else:
            h, h1 = self.rnn(e, h0)
            c1 = c0
        score = (h @ keys.transpose(1, 2)).masked_fill(mask[:, None, :] == 0, float("-inf"))
        ctx = torch.softmax(score, dim=-1) @ states
        o = torch.tanh(self.output(torch.cat([ctx, h], dim=-1)))
        logits = o[:, 0] @ self.w_proj.T + self.b_proj
        return torch.log_softmax(logits, dim=-1), h1, c1


class JitDecoder:
    """init / step / reorder as the reference decoder, with a scripted (and frozen) step.
    step returns (log P, None): the search does not read the attention."""

    def __init__(self, dec, step):
        self.dec, self.fn, self.lstm = dec, step, dec.settings.cell == "lstm"
        self.vocab_size = dec.settings.vocab_size

    def init(self, memory):
        return self.dec.init(memory)

    def step(self, state, prev_ids):
        ids = torch.as_tensor(prev_ids, dtype=torch.int64)
        h0, c0 = state.hidden if self.lstm else (state.hidden, state.hidden)
        lp, h1, c1 = self.fn(ids, h0, c0, state.keys, state.states, state.mask)
        state.hidden = (h1, c1) if self.lstm else h1
        return lp, None

    def reorder(self, state, index):
        self.dec.reorder(state, index)


def unsupported(dec):
    """Why the scripted step does not cover this decoder, or None."""
    s = dec.settings
    if s.copy or s.coverage:
        return "copy / coverage decoder"
    if s.attention not in ("dot", "general"):
        return f"{s.attention} attention"
    return None


def wrap(dec, mode):
    """mode: eager (the reference), script, freeze (script + torch.jit.freeze).
    Returns (decoder, what ran)."""
    why = unsupported(dec) if mode != "eager" else None
    if mode == "eager" or why:
        return dec, "eager" + (f" ({why}: not scripted)" if why else "")
    dec.eval()
    step = _Step(dec, dec.settings.cell == "lstm").eval()
    fn = torch.jit.script(step)
    if mode == "freeze":
        fn = torch.jit.freeze(fn)
    return JitDecoder(dec, fn), mode
