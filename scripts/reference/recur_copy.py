"""Copy attention (pointer-generator, See et al. 2017) and coverage of recur's gru / lstm
attention decoders (docs/text-models.md, "Copy and coverage"), used by
recur_reference.AttentionDecoder when its settings say copy / coverage.

  p_gen = sigmoid(copy([ctx ; h ; e]))                 decoder.copy.{weight [1, M+H+E], bias [1]}
  P     = p_gen softmax(logits) + (1 - p_gen) scatter_add(a onto source_ids)
  out   = log(P + COPY_FLOOR)                          (forward and step return log P)

  coverage c_t = a_1 + ... + a_{t-1}, in the scores:
    dot, general  score += w_coverage [1] * c
    mlp           score = tanh(keys + q + c w_coverage [A]) . v
  coverage loss = weight * mean over target tokens of sum_i min(a_t,i, c_t,i)

Extended vocabulary (See et al.): source ids V, V+1, ... are the source's words outside
the vocabulary. P then has V_ext = max(V, largest source id + 1) columns, the generated
part 0 beyond V; an input id >= V (a chosen or target OOV) is embedded as unk.
"""

import torch
from torch import nn

COPY_FLOOR = 1e-12  # keeps log P finite where nothing is generated or copied


def coverage_parameter(kind, attention_size):
    return nn.Parameter(torch.empty(attention_size if kind == "mlp" else 1))


def scores(attention, h, keys, coverage):
    """attention.scores plus the coverage term: h [B, T, H], coverage [B, T, S]."""
    if attention.kind != "mlp":
        return h @ keys.transpose(1, 2) + coverage * attention.w_coverage
    q = h @ attention.w_query.T + attention.b_query
    pre = keys[:, None, :, :] + q[:, :, None, :] + coverage[..., None] * attention.w_coverage
    return torch.tanh(pre) @ attention.v


def attend(attention, h, state):
    """Attention with coverage, one target position at a time from state.coverage
    [B, 1, S] (advanced): -> ctx [B, T, M], a [B, T, S], loss terms [B, T]."""
    ctxs, weights, terms = [], [], []
    for t in range(h.shape[1]):
        score = scores(attention, h[:, t:t + 1], state.keys, state.coverage)
        score = score.masked_fill(state.mask[:, None, :] == 0, float("-inf"))
        a = torch.softmax(score, dim=-1)
        terms.append(torch.minimum(a, state.coverage).sum(-1))
        state.coverage = state.coverage + a
        ctxs.append(a @ state.states)
        weights.append(a)
    return torch.cat(ctxs, 1), torch.cat(weights, 1), torch.cat(terms, 1)


def mix(logits, p_gen, a, source_ids):
    """log P of the pointer-generator: logits [B, T, V], p_gen [B, T, 1], a [B, T, S],
    source_ids [B, S] (target ids; ids in [V, V + S): the extended vocabulary) ->
    [B, T, V_ext]."""
    if source_ids is None:
        raise ValueError("copy needs the memory's source_ids")
    v = logits.shape[-1]
    if int(source_ids.max()) >= v + source_ids.shape[1]:
        raise ValueError("copy needs source ids in the target vocabulary (a joint vocabulary)")
    width = max(v, int(source_ids.max()) + 1)
    generated = torch.softmax(logits, -1)
    if width > v:
        generated = torch.cat([generated, generated.new_zeros(*generated.shape[:-1], width - v)], -1)
    index = source_ids[:, None, :].expand(-1, a.shape[1], -1)
    copy = generated.new_zeros(generated.shape).scatter_add_(2, index, a)
    return torch.log(p_gen * generated + (1 - p_gen) * copy + COPY_FLOOR)


def fed(ids, vocab, unk):
    """Input ids as the decoder embeds them: extended ids (>= vocab) are unk."""
    return torch.where(ids >= vocab, torch.full_like(ids, unk), ids)


def coverage_loss(terms, tgt_in, pad, weight):
    """weight * mean of terms [B, T] over the tokens of tgt_in that are not pad."""
    mask = (tgt_in != pad).to(terms.dtype)
    return weight * (terms * mask).sum() / mask.sum().clamp(min=1)
