#!/usr/bin/python3
"""PyTorch reference of recur's text seq2seq model (docs/text-models.md): the `bilstm`
encoder (cell lstm, gru or rnn), the `gru` / `lstm` / `rnn` attention decoders, recur's parameter names and layouts, and
recur's search (recur_search.py). Fixtures made with it check the C++ implementation,
and it is the way to bring a model trained in PyTorch into recur
(scripts/convert/torch_to_recur.py, docs/importing-pytorch-models.md).

The modules' own parameter names equal recur's except for the recurrent layers, which
are plain nn.LSTM / nn.GRU / nn.RNN (names weight_ih_l0, ...); recur_state_dict() and
load_recur_state_dict() convert with scripts/convert/torch_rnn.py.

CLI (model folder = pipeline.yaml + model.safetensors + whitespace/char vocab files):
  /usr/bin/python3 scripts/reference/recur_reference.py translate --pipeline DIR/pipeline.yaml
      [--beam-size K] [--n-best N] [--scores] < input.txt
"""

import argparse
import os
import sys
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "convert"))
import recur_copy  # noqa: E402
import recur_search  # noqa: E402
import safetensors_io  # noqa: E402
import torch_rnn  # noqa: E402

PAD, BOS, EOS, UNK = 0, 1, 2, 3  # recur's char / whitespace tokenizers (recur/text/vocab.h)
# recur's cell names (encoder `cell:`, decoder plugin names) -> torch modules; "rnn" is
# the tanh RNN.
RNN_MODULES = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}


def rnn_module(cell):
    if cell not in RNN_MODULES:
        raise ValueError(f"unknown cell '{cell}' ({', '.join(RNN_MODULES)})")
    return RNN_MODULES[cell]


def module_cell(rnn):
    """The cell name of an nn.LSTM / nn.GRU / nn.RNN."""
    return next(k for k, m in RNN_MODULES.items() if type(rnn) is m)


@dataclass
class EncoderSettings:
    vocab_size: int
    embedding_size: int = 256
    hidden_size: int = 256
    layers: int = 2
    dropout: float = 0.2
    cell: str = "lstm"


@dataclass
class DecoderSettings:
    vocab_size: int
    memory_size: int
    summary_size: int
    cell: str = "gru"
    embedding_size: int = 256
    hidden_size: int = 256
    layers: int = 1
    attention: str = "general"
    attention_size: int = 0  # mlp only; 0 = hidden_size
    dropout: float = 0.2
    tie_embeddings: bool = False
    copy: bool = False           # pointer-generator (recur_copy.py)
    coverage: bool = False       # coverage in the attention, coverage loss
    coverage_loss: float = 1.0   # its weight (training only)


@dataclass
class Memory:
    states: torch.Tensor   # [B, S, M], zeros at padding
    mask: torch.Tensor     # [B, S], 1 at real positions
    summary: torch.Tensor  # [B, 2H]
    source_ids: torch.Tensor = None  # [B, S] source tokens as target ids (copy)


class BiLstmEncoder(nn.Module):
    def __init__(self, s: EncoderSettings, pad=PAD):
        super().__init__()
        self.settings = s
        self.embedding = nn.Embedding(s.vocab_size, s.embedding_size, padding_idx=pad)
        self.rnn = rnn_module(s.cell)(s.embedding_size, s.hidden_size, s.layers,
                                      batch_first=True, bidirectional=True,
                                      dropout=s.dropout if s.layers > 1 else 0.0)
        self.dropout = nn.Dropout(s.dropout)

    @property
    def memory_size(self):
        return 2 * self.settings.hidden_size

    def forward(self, src, lengths):
        """src [B, S] ids, lengths [B] (eos included) -> Memory."""
        lengths = torch.as_tensor(lengths, dtype=torch.int64, device="cpu")
        x = self.dropout(self.embedding(src))
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, h_n = self.rnn(packed)
        if self.settings.cell == "lstm":
            h_n = h_n[0]
        states, _ = pad_packed_sequence(out, batch_first=True, total_length=src.shape[1])
        positions = torch.arange(src.shape[1])[None, :]
        mask = (positions < lengths[:, None]).to(states.dtype)
        summary = torch.cat([h_n[-2], h_n[-1]], dim=-1)  # top layer: forward, backward
        return Memory(states, mask, summary)


class Attention(nn.Module):
    """Luong attention scores (dot | general | mlp); parameters named as in recur."""

    def __init__(self, kind, memory_size, hidden_size, attention_size, coverage=False):
        super().__init__()
        self.kind = kind
        if kind == "dot":
            if memory_size != hidden_size:
                raise ValueError(f"dot attention needs memory size {memory_size} == hidden size {hidden_size}")
        elif kind == "general":
            self.w_key = nn.Parameter(torch.empty(hidden_size, memory_size))
        elif kind == "mlp":
            self.w_key = nn.Parameter(torch.empty(attention_size, memory_size))
            self.w_query = nn.Parameter(torch.empty(attention_size, hidden_size))
            self.b_query = nn.Parameter(torch.empty(attention_size))
            self.v = nn.Parameter(torch.empty(attention_size))
        else:
            raise ValueError(f"unknown attention '{kind}' (dot, general, mlp)")
        if coverage:
            self.w_coverage = recur_copy.coverage_parameter(kind, attention_size)

    def keys(self, states):
        return states if self.kind == "dot" else states @ self.w_key.T

    def scores(self, h, keys):
        """h [B, T, H], keys [B, S, K] -> [B, T, S]."""
        if self.kind != "mlp":
            return h @ keys.transpose(1, 2)
        q = h @ self.w_query.T + self.b_query
        return torch.tanh(keys[:, None, :, :] + q[:, :, None, :]) @ self.v


class Projection(nn.Module):
    """logits = o W^T + b; with tied embeddings W is the embedding matrix, passed in by
    the decoder (the projection then owns only its bias)."""

    def __init__(self, hidden_size, vocab_size, tied):
        super().__init__()
        if not tied:
            self.weight = nn.Parameter(torch.empty(vocab_size, hidden_size))
        self.bias = nn.Parameter(torch.empty(vocab_size))

    def forward(self, o, tied_weight=None):
        w = self.weight if tied_weight is None else tied_weight
        return o @ w.T + self.bias


class DecoderState:
    """Recurrent state and attended memory of a batch being decoded step by step."""

    def __init__(self, hidden, keys, states, mask, source_ids=None, coverage=None):
        self.hidden, self.keys, self.states, self.mask = hidden, keys, states, mask
        self.source_ids, self.coverage = source_ids, coverage  # copy; coverage [B, 1, S]

    def batch_size(self):
        return self.states.shape[0]

    def reorder(self, index):
        idx = torch.as_tensor(index, dtype=torch.int64)
        if isinstance(self.hidden, tuple):
            self.hidden = tuple(t.index_select(1, idx) for t in self.hidden)
        else:
            self.hidden = self.hidden.index_select(1, idx)
        self.keys = self.keys.index_select(0, idx)
        self.states = self.states.index_select(0, idx)
        self.mask = self.mask.index_select(0, idx)
        if self.source_ids is not None:
            self.source_ids = self.source_ids.index_select(0, idx)
        if self.coverage is not None:
            self.coverage = self.coverage.index_select(0, idx)


class AttentionDecoder(nn.Module):
    def __init__(self, s: DecoderSettings, pad=PAD):
        super().__init__()
        if s.tie_embeddings and s.embedding_size != s.hidden_size:
            raise ValueError("tie_embeddings needs embedding_size == hidden_size")
        self.settings = s
        H, L = s.hidden_size, s.layers
        self.embedding = nn.Embedding(s.vocab_size, s.embedding_size, padding_idx=pad)
        self.bridge = nn.Linear(s.summary_size, L * H)
        self.rnn = rnn_module(s.cell)(s.embedding_size, H, L, batch_first=True,
                       dropout=s.dropout if L > 1 else 0.0)
        self.attention = Attention(s.attention, s.memory_size, H, s.attention_size or H,
                                   s.coverage)
        self.output = nn.Linear(s.memory_size + H, H)
        self.projection = Projection(H, s.vocab_size, s.tie_embeddings)
        if s.copy:
            self.copy = nn.Linear(s.memory_size + H + s.embedding_size, 1)
        self.dropout = nn.Dropout(s.dropout)
        self.pad = pad
        self.auxiliary_loss = None  # coverage loss of the last forward (weighted)

    def init(self, memory: Memory) -> DecoderState:
        B, H, L = memory.summary.shape[0], self.settings.hidden_size, self.settings.layers
        h0 = torch.tanh(self.bridge(memory.summary)).view(B, L, H).transpose(0, 1).contiguous()
        hidden = (h0, torch.zeros_like(h0)) if self.settings.cell == "lstm" else h0
        coverage = None
        if self.settings.coverage:
            coverage = memory.states.new_zeros(B, 1, memory.states.shape[1])
        return DecoderState(hidden, self.attention.keys(memory.states), memory.states, memory.mask,
                            memory.source_ids, coverage)

    def _readout(self, h, e, state):
        """Top-layer outputs h [B, T, H], embedded inputs e -> logits [B, T, V] (log P with
        copy), attention [B, T, S], coverage loss terms [B, T] (or None)."""
        terms = None
        if self.settings.coverage:
            ctx, a, terms = recur_copy.attend(self.attention, h, state)
        else:
            score = self.attention.scores(h, state.keys)
            score = score.masked_fill(state.mask[:, None, :] == 0, float("-inf"))
            a = torch.softmax(score, dim=-1)
            ctx = a @ state.states
        o = self.dropout(torch.tanh(self.output(torch.cat([ctx, h], dim=-1))))
        tied = self.embedding.weight if self.settings.tie_embeddings else None
        out = self.projection(o, tied)
        if self.settings.copy:
            p_gen = torch.sigmoid(self.copy(torch.cat([ctx, h, e], dim=-1)))
            out = recur_copy.mix(out, p_gen, a, state.source_ids)
        return out, a, terms

    def forward(self, memory: Memory, tgt_in):
        """Teacher forcing: tgt_in [B, T] (bos + target[:-1]) -> logits [B, T, V] (log P
        with copy), attention [B, T, S]; with coverage, self.auxiliary_loss is set."""
        state = self.init(memory)
        e = self.dropout(self.embedding(recur_copy.fed(tgt_in, self.vocab_size, UNK)))
        h, _ = self.rnn(e, state.hidden)
        out, a, terms = self._readout(h, e, state)
        self.auxiliary_loss = None
        if terms is not None:
            self.auxiliary_loss = recur_copy.coverage_loss(terms, tgt_in, self.pad,
                                                           self.settings.coverage_loss)
        return out, a

    def step(self, state: DecoderState, prev_ids):
        """prev_ids [B] -> log-probs [B, V], attention [B, S]; advances `state`."""
        ids = torch.as_tensor(prev_ids, dtype=torch.int64)[:, None]
        e = self.dropout(self.embedding(recur_copy.fed(ids, self.vocab_size, UNK)))
        h, state.hidden = self.rnn(e, state.hidden)
        out, a, _ = self._readout(h, e, state)
        if self.settings.copy:
            return out[:, 0], a[:, 0]
        return torch.log_softmax(out[:, 0], dim=-1), a[:, 0]

    def reorder(self, state: DecoderState, index):
        state.reorder(index)

    @property
    def vocab_size(self):
        return self.settings.vocab_size


class Seq2Seq(nn.Module):
    """Encoder and decoder under one root: names "encoder.*" and "decoder.*"."""

    def __init__(self, enc: EncoderSettings, dec: DecoderSettings):
        super().__init__()
        self.encoder = BiLstmEncoder(enc)
        self.decoder = AttentionDecoder(dec)

    def translate(self, sources, options: recur_search.Options):
        """sources: list of id lists (eos included) -> n-best Hypothesis lists per row."""
        src, lengths = pad_batch(sources)
        with torch.no_grad():
            memory = self.encoder(src, lengths)
            memory.source_ids = src  # what recur's tasks set (copy)
            return recur_search.decode(self.decoder, memory, [len(s) for s in sources], options)


def pad_batch(rows, pad=PAD):
    """Left-aligned id rows -> ([B, S] int64 tensor, [B] lengths)."""
    width = max(len(r) for r in rows)
    src = torch.full((len(rows), width), pad, dtype=torch.int64)
    for b, r in enumerate(rows):
        src[b, :len(r)] = torch.as_tensor(r, dtype=torch.int64)
    return src, torch.tensor([len(r) for r in rows], dtype=torch.int64)


# ---- recur's parameter names and layouts -------------------------------------------

def _rnn_layers(sd, prefix):
    return sum(1 for k in sd if k.startswith(prefix + "weight_ih_l") and not k.endswith("_reverse"))


def recur_state_dict(model_or_sd):
    """A Seq2Seq (or its torch state dict) -> {recur name: float32 numpy array}."""
    sd = model_or_sd.state_dict() if isinstance(model_or_sd, nn.Module) else model_or_sd
    sd = {k: v.detach().cpu().double().numpy() if torch.is_tensor(v) else np.asarray(v)
          for k, v in sd.items()}
    out = {}
    for k, v in sd.items():
        if not (k.startswith("encoder.rnn.") or k.startswith("decoder.rnn.")):
            out[k] = v
    enc = {k[len("encoder.rnn."):]: v for k, v in sd.items() if k.startswith("encoder.rnn.")}
    enc_cell = rnn_cell(enc) if enc else "lstm"  # no encoder RNN: a captioning model
    for name, v in torch_rnn.torch_to_recur(enc, enc_cell, _rnn_layers(enc, ""), True).items():
        kind, rest = name.split("_l", 1)
        layer, reverse = (rest[:-len("_reverse")], True) if rest.endswith("_reverse") else (rest, False)
        out[f"encoder.rnn.l{layer}.{'bwd' if reverse else 'fwd'}.{kind}"] = v
    dec = {k[len("decoder.rnn."):]: v for k, v in sd.items() if k.startswith("decoder.rnn.")}
    cell = rnn_cell(dec)
    for name, v in torch_rnn.torch_to_recur(dec, cell, _rnn_layers(dec, ""), False).items():
        kind, layer = name.split("_l", 1)
        out[f"decoder.rnn.l{layer}.{kind}"] = v
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sorted(out.items())}


def rnn_cell(torch_rnn_params):
    """'lstm', 'gru' or 'rnn' from nn.LSTM / nn.GRU / nn.RNN parameters (gate rows of
    weight_hh_l0)."""
    w = np.asarray(torch_rnn_params["weight_hh_l0"])
    gates = w.shape[0] // w.shape[1]
    cells = {g: cell for cell, g in torch_rnn.GATES.items()}
    if gates not in cells or gates * w.shape[1] != w.shape[0]:
        raise ValueError(f"weight_hh_l0 of shape {list(w.shape)} is neither LSTM, GRU nor RNN")
    return cells[gates]


def torch_state_dict_from_recur(tensors, decoder_cell):
    """{recur name: array} -> torch state dict (float64 tensors) of a Seq2Seq."""
    sd, enc, dec = {}, {}, {}
    for k, v in tensors.items():
        parts = k.split(".")
        if k.startswith("encoder.rnn."):  # encoder.rnn.l{l}.{fwd,bwd}.{kind}
            suffix = "_reverse" if parts[3] == "bwd" else ""
            enc[f"{parts[4]}_l{parts[2][1:]}{suffix}"] = v
        elif k.startswith("decoder.rnn."):  # decoder.rnn.l{l}.{kind}
            dec[f"{parts[3]}_l{parts[2][1:]}"] = v
        else:
            sd[k] = v
    layers = lambda p: sum(1 for k in p if k.startswith("w_ih_l") and not k.endswith("_reverse"))
    enc_cell = rnn_cell({"weight_hh_l0": np.asarray(enc["w_hh_l0"]).T}) if enc else "lstm"
    for k, v in torch_rnn.recur_to_torch(enc, enc_cell, layers(enc), True).items():
        sd["encoder.rnn." + k] = v
    for k, v in torch_rnn.recur_to_torch(dec, decoder_cell, layers(dec), False).items():
        sd["decoder.rnn." + k] = v
    return {k: torch.as_tensor(np.asarray(v, dtype=np.float64)) for k, v in sd.items()}


def settings_from_state_dict(sd, decoder_cell=None, dropout=0.2):
    """Infers EncoderSettings and DecoderSettings from a Seq2Seq torch state dict."""
    sd = {k: np.asarray(v.detach().cpu() if torch.is_tensor(v) else v) for k, v in sd.items()}
    required = ["encoder.embedding.weight", "encoder.rnn.weight_hh_l0", "decoder.rnn.weight_hh_l0",
                "decoder.embedding.weight", "decoder.output.weight", "decoder.bridge.weight"]
    missing = [k for k in required if k not in sd]
    if missing:
        raise ValueError(f"no tensor {', '.join(missing)}")
    emb = sd["encoder.embedding.weight"]
    enc_h = sd["encoder.rnn.weight_hh_l0"].shape[1]
    enc_cell = rnn_cell({"weight_hh_l0": sd["encoder.rnn.weight_hh_l0"]})
    enc = EncoderSettings(emb.shape[0], emb.shape[1], enc_h,
                          _rnn_layers(sd, "encoder.rnn."), dropout, enc_cell)
    dec_rnn = {k[len("decoder.rnn."):]: v for k, v in sd.items() if k.startswith("decoder.rnn.")}
    H = dec_rnn["weight_hh_l0"].shape[1]
    demb = sd["decoder.embedding.weight"]
    M, L = 2 * enc_h, _rnn_layers(dec_rnn, "")
    for name, shape in (("decoder.output.weight", (H, M + H)), ("decoder.bridge.weight", (L * H, M))):
        if sd[name].shape != shape:
            raise ValueError(f"{name} has shape {list(sd[name].shape)}, expected {list(shape)} "
                             f"(decoder hidden {H}, {L} layers, encoder memory {M})")
    attention = ("mlp" if "decoder.attention.w_query" in sd
                 else "general" if "decoder.attention.w_key" in sd else "dot")
    dec = DecoderSettings(
        vocab_size=demb.shape[0], memory_size=M, summary_size=M,
        cell=decoder_cell or rnn_cell(dec_rnn), embedding_size=demb.shape[1], hidden_size=H, layers=L,
        attention=attention,
        attention_size=sd["decoder.attention.w_key"].shape[0] if attention == "mlp" else 0,
        dropout=dropout, tie_embeddings="decoder.projection.weight" not in sd,
        copy="decoder.copy.weight" in sd, coverage="decoder.attention.w_coverage" in sd)
    return enc, dec


def recur_decoder_cell(tensors):
    """'lstm', 'gru' or 'rnn' from recur's decoder.rnn.l0.w_hh [H, G*H]."""
    w = np.asarray(tensors["decoder.rnn.l0.w_hh"])
    return rnn_cell({"weight_hh_l0": w.T})


def settings_from_recur(tensors, decoder_cell=None, dropout=0.2):
    found = recur_decoder_cell(tensors)
    if decoder_cell and decoder_cell != found:
        raise ValueError(f"the weights hold a {found} decoder, not {decoder_cell}")
    return settings_from_state_dict(torch_state_dict_from_recur(tensors, found), found, dropout)


def save_recur(model, path, metadata=None):
    safetensors_io.write(path, recur_state_dict(model), metadata)


def load_recur_state_dict(model, tensors):
    """Loads {recur name: array} into a Seq2Seq (exact names and shapes, no extras)."""
    sd = torch_state_dict_from_recur(tensors, model.decoder.settings.cell)
    own = model.state_dict()
    missing, extra = sorted(set(own) - set(sd)), sorted(set(sd) - set(own))
    if missing or extra:
        raise ValueError(f"recur weights: missing {missing}, unexpected {extra}")
    for k, v in sd.items():
        if tuple(v.shape) != tuple(own[k].shape):
            raise ValueError(f"recur weights: {k} has shape {list(v.shape)}, expected {list(own[k].shape)}")
    model.load_state_dict({k: v.to(own[k].dtype) for k, v in sd.items()})


def load_recur(path, decoder_cell=None, dtype=torch.float64):
    """model.safetensors -> Seq2Seq in eval mode (settings inferred from the shapes;
    decoder_cell, if given, must match them)."""
    tensors, _ = safetensors_io.read(path)
    enc, dec = settings_from_recur(tensors, decoder_cell)
    model = Seq2Seq(enc, dec).to(dtype)
    load_recur_state_dict(model, tensors)
    return model.eval()


def recur_init_(model, generator=None):
    """docs/text-models.md's initialisation for training from scratch: embeddings and
    linear layers uniform +-1/sqrt(fan_in), w_hh orthogonal per gate block, w_ih Xavier
    uniform, RNN biases zero except the LSTM forget gate (1.0 in the merged bias)."""
    def uniform_(t, bound):
        t.copy_(torch.rand(t.shape, generator=generator, dtype=t.dtype) * 2 * bound - bound)

    def orthogonal_(t):
        q, r = torch.linalg.qr(torch.randn(t.shape, generator=generator, dtype=t.dtype))
        t.copy_(q * torch.sign(torch.diagonal(r))[None, :])

    with torch.no_grad():
        params = dict(model.named_parameters())
        for name, p in params.items():
            if ".rnn." not in name:
                uniform_(p, 1.0 / np.sqrt(_fan_in(name, p, params, model)))
        for rnn in (model.encoder.rnn, model.decoder.rnn):
            gates = torch_rnn.GATES[module_cell(rnn)]
            for name, p in rnn.named_parameters():
                if name.startswith("weight_hh"):
                    for block in p.chunk(gates, 0):
                        orthogonal_(block)
                elif name.startswith("weight_ih"):
                    uniform_(p, np.sqrt(6.0 / (p.shape[0] + p.shape[1])))
                else:
                    p.zero_()
                    if gates == 4 and name.startswith("bias_ih"):
                        p[rnn.hidden_size:2 * rnn.hidden_size] = 1.0


def _fan_in(name, p, params, model):
    """PyTorch's convention: a weight's input size; a bias uses its weight's."""
    if p.dim() == 2:
        return p.shape[1]
    if name.endswith(".w_coverage"):  # a linear layer from the coverage value
        return 1
    sibling = {"bias": "weight", "b_query": "w_query"}.get(name.rsplit(".", 1)[1])
    weight = params.get(name.rsplit(".", 1)[0] + "." + sibling) if sibling else None
    if weight is not None:
        return weight.shape[1]
    if name == "decoder.projection.bias":  # tied: the embedding acts as [V, H]
        return model.decoder.settings.hidden_size
    return p.shape[0]


# ---- command line -------------------------------------------------------------------

def _translate(args):
    import recur_pipeline

    model, src_tok, tgt_tok, options = recur_pipeline.load_pipeline(args.pipeline)
    if args.beam_size:
        options.beam_size = args.beam_size
    options.n_best = args.n_best or min(options.n_best, options.beam_size)
    lines = sys.stdin.read().splitlines()
    for start in range(0, len(lines), args.batch):
        chunk = lines[start:start + args.batch]
        sources = [src_tok.encode(line) + [EOS] for line in chunk]
        for n, hyps in enumerate(model.translate(sources, options)):
            for h in hyps:
                text = tgt_tok.decode(h.ids)
                if options.n_best > 1:
                    text = f"{start + n} ||| {text} ||| {float(h.score):g}"
                elif args.scores:
                    text = f"{text} ||| {float(h.score):g}"
                print(text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("translate", help="translate stdin with a recur model folder")
    t.add_argument("--pipeline", required=True, help="pipeline.yaml of the model folder")
    t.add_argument("--beam-size", type=int, default=0, help="override search.beam_size")
    t.add_argument("--n-best", type=int, default=0)
    t.add_argument("--scores", action="store_true")
    t.add_argument("--batch", type=int, default=32)
    args = parser.parse_args(argv)
    torch.set_grad_enabled(False)
    if args.command == "translate":
        _translate(args)


if __name__ == "__main__":
    main()
