#!/usr/bin/python3
"""PyTorch peer of `recur classify`: a classification model folder (task classification:
`whitespace` tokenizer over vocab.txt, `bilstm` encoder, `classifier:` head with pooling
`last`) as plain torch modules with the folder's weights in float32, the precision recur
computes in. Lines are tokenized by recur's word rule (scripts/data/word_tokens.py),
batched as recur batches (maxi-batches of records sorted by length, mini-batches of at
most max_tokens counted as rows x longest and max_rows rows; the pipeline's `batch:`
section or recur's defaults 4096 / 128 / 1000) and run under torch.inference_mode().
Writes `label<TAB>probability` per line in input order, formatted as recur writes it (a
float with 6 significant digits; a blank line gets an empty line), and prints one JSON
line of statistics to stderr:
  {"lines", "source_tokens", "seconds" (classification), "load_seconds" (model folder)}

  /usr/bin/python3 bench/peer/torch_classify.py --model DIR -i texts.txt -o labels.tsv \
      [--threads N] [--shard K/N]

The model (docs/text-models.md, encoders/bilstm, tasks/classify/classifier_head.h):
ids = tokens + [eos] (at most max_source_length, cropped before eos); embedding
(padding id 0) -> LSTM / GRU / RNN, `layers` deep, one or two directions, packed to each
row's length -> summary = the top layer's last hidden state per direction ([fwd ; bwd])
-> optional tanh hidden layer -> output layer -> softmax. Dropout is off at inference.
--shard K/N classifies only the K-th (0-based) of N contiguous slices of the lines, for
running N single-threaded processes side by side.
"""

import argparse
import json
import os
import sys
import time

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(REPO, "scripts", "reference"))
sys.path.insert(0, os.path.join(REPO, "scripts", "convert"))
sys.path.insert(0, os.path.join(REPO, "scripts", "data"))
from batching import cut_batches, shard  # noqa: E402
import recur_pipeline  # noqa: E402
import safetensors_io  # noqa: E402
import torch_rnn  # noqa: E402
import word_tokens  # noqa: E402

PAD, BOS, EOS, UNK = 0, 1, 2, 3  # recur's vocab tokenizers: the file's symbols start at 4
CELLS = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}


class WordTokenizer:
    """recur's `whitespace` tokenizer over a vocab file (plugins/vocab)."""

    def __init__(self, section, folder):
        if section.get("plugin") != "whitespace" or "vocab" not in section:
            raise ValueError(f"unsupported tokenizer {section} (whitespace with a vocab file only)")
        symbols = recur_pipeline.read_vocab(os.path.join(folder, section["vocab"]), "word")
        self.ids = {s: i + 4 for i, s in enumerate(symbols)}
        self.size = len(symbols) + 4
        self.lower = bool(section.get("lowercase", False))
        self.split = bool(section.get("split_punctuation", False))

    def encode(self, line):
        return [self.ids.get(t, UNK) for t in word_tokens.tokens(line, self.lower, self.split)]


class Classifier(nn.Module):
    """Embedding -> RNN (packed) -> last hidden state per direction -> [tanh hidden] -> output."""

    def __init__(self, tensors, cell, layers, bidirectional):
        super().__init__()
        vocab, emb = tensors["encoder.embedding.weight"].shape
        hidden = tensors["encoder.rnn.l0." + ("fwd." if bidirectional else "") + "w_hh"].shape[0]
        self.embedding = nn.Embedding(vocab, emb, padding_idx=PAD)
        self.rnn = CELLS[cell](emb, hidden, layers, batch_first=True, bidirectional=bidirectional)
        self.hidden = None
        if "head.hidden.weight" in tensors:
            w = tensors["head.hidden.weight"]
            self.hidden = nn.Linear(w.shape[1], w.shape[0])
        w = tensors["head.output.weight"]
        self.output = nn.Linear(w.shape[1], w.shape[0])
        self.cell, self.bidirectional = cell, bidirectional
        self._load(tensors, cell, layers, bidirectional)

    def _load(self, tensors, cell, layers, bidirectional):
        rnn = {}
        for k, v in tensors.items():
            if k.startswith("encoder.rnn."):  # encoder.rnn.l{l}[.{fwd,bwd}].{kind}
                parts = k.split(".")
                suffix = "_reverse" if bidirectional and parts[3] == "bwd" else ""
                rnn[f"{parts[-1]}_l{parts[2][1:]}{suffix}"] = v
        sd = {"embedding.weight": tensors["encoder.embedding.weight"],
              "output.weight": tensors["head.output.weight"], "output.bias": tensors["head.output.bias"]}
        if self.hidden is not None:
            sd["hidden.weight"], sd["hidden.bias"] = tensors["head.hidden.weight"], tensors["head.hidden.bias"]
        for k, v in torch_rnn.recur_to_torch(rnn, cell, layers, bidirectional).items():
            sd["rnn." + k] = v
        own = self.state_dict()
        if set(sd) != set(own):
            raise ValueError(f"weights: missing {sorted(set(own) - set(sd))}, unexpected {sorted(set(sd) - set(own))}")
        self.load_state_dict({k: torch.as_tensor(v).float().reshape(own[k].shape) for k, v in sd.items()})

    def forward(self, src, lengths):
        """src [B, S] ids, lengths [B] sorted decreasing -> class probabilities [B, C]."""
        packed = pack_padded_sequence(self.embedding(src), lengths, batch_first=True)
        _, h_n = self.rnn(packed)
        if self.cell == "lstm":
            h_n = h_n[0]
        x = torch.cat([h_n[-2], h_n[-1]], dim=-1) if self.bidirectional else h_n[-1]
        if self.hidden is not None:
            x = torch.tanh(self.hidden(x))
        return torch.softmax(self.output(x), dim=-1)


class ClassifyFolder:
    def __init__(self, folder):
        import yaml

        with open(os.path.join(folder, "pipeline.yaml"), encoding="utf-8") as f:
            root = yaml.safe_load(f)
        if root.get("task") != "classification":
            raise ValueError(f"{folder}: task {root.get('task')}, not classification")
        enc, head = root["encoder"], root.get("classifier") or {}
        if enc.get("plugin") != "bilstm":
            raise ValueError(f"{folder}: encoder {enc.get('plugin')} (bilstm only)")
        if head.get("pooling", "last") != "last":
            raise ValueError(f"{folder}: pooling {head['pooling']} (last only)")
        self.labels = list(root["labels"])
        self.tokenizer = WordTokenizer(root["source"]["tokenizer"], folder)
        tensors, _ = safetensors_io.read(os.path.join(folder, root.get("weights", "model.safetensors")))
        self.model = Classifier(tensors, enc.get("cell", "lstm"), int(enc.get("layers", 1)),
                                bool(enc.get("bidirectional", True))).eval()
        self.max_length = int(root.get("max_source_length", 256))
        batch = root.get("batch") or {}
        self.max_tokens = int(batch.get("max_tokens", 4096))
        self.max_rows = int(batch.get("max_rows", 128))
        self.maxi_batch = int(batch.get("maxi_batch", 1000))

    def ids(self, line):
        """recur's text_record_ids: blank -> [], else tokens cropped to leave room for eos."""
        if not line.strip():
            return []
        return self.tokenizer.encode(line)[: self.max_length - 1] + [EOS]


def classify_chunk(folder, rows):
    """Probabilities per row (None for a blank line), one maxi-batch."""
    out = [None] * len(rows)
    lengths = [len(r) for r in rows]
    order = sorted((i for i in range(len(rows)) if lengths[i] > 0), key=lambda i: -lengths[i])  # stable
    for batch in cut_batches(order, lengths, folder.max_tokens, folder.max_rows, steady=True):
        width = lengths[batch[0]]
        src = torch.full((len(batch), width), PAD, dtype=torch.int64)
        for b, i in enumerate(batch):
            src[b, :lengths[i]] = torch.as_tensor(rows[i])
        probs = folder.model(src, torch.tensor([lengths[i] for i in batch], dtype=torch.int64))
        for i, p in zip(batch, probs.tolist()):
            out[i] = p
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True)
    p.add_argument("-i", "--input", required=True)
    p.add_argument("-o", "--output", default="-")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--shard", default="0/1", help="K/N: classify the K-th of N contiguous slices")
    args = p.parse_args()
    try:
        shard([], args.shard)
    except ValueError as e:
        sys.exit(str(e))
    torch.set_num_threads(args.threads)

    start = time.perf_counter()
    folder = ClassifyFolder(args.model)
    load = time.perf_counter() - start

    start = time.perf_counter()
    with open(args.input, encoding="utf-8", errors="replace") as f:
        lines = shard(f.read().splitlines(), args.shard)
    dst = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    tokens = 0
    with torch.inference_mode():
        for first in range(0, len(lines), folder.maxi_batch):
            rows = [folder.ids(line) for line in lines[first:first + folder.maxi_batch]]
            tokens += sum(len(r) for r in rows)
            for probs in classify_chunk(folder, rows):
                if probs is None:
                    dst.write("\n")
                    continue
                best = max(range(len(probs)), key=lambda k: (probs[k], -k))  # ties: the lower index
                dst.write(f"{folder.labels[best]}\t{probs[best]:.6g}\n")
    dst.flush()
    seconds = time.perf_counter() - start
    print(json.dumps({"lines": len(lines), "source_tokens": tokens, "seconds": seconds,
                      "load_seconds": load}), file=sys.stderr)


if __name__ == "__main__":
    main()
