#!/usr/bin/python3
"""PyTorch peer of `recur generate`: a language model folder (task language_model: a char
or whitespace tokenizer over a vocab file, decoder embedding -> `layers` LSTM / GRU / RNN
-> linear projection, decoders/attention/lm_decoder.h) as nn.Embedding, nn.LSTM (nn.GRU,
nn.RNN) and nn.Linear with the folder's weights in float32, run one token at a time over
a batch of samples under torch.inference_mode(), with recur's rules
(tasks/lm/lm_task.cc, framework/src/search/greedy.cc, sampling.cc):

- a sample starts as after a line break: the first input is eos, then the prompt's tokens
  (a line break in the prompt is eos), whose outputs are not chosen from;
- then --max-length tokens are chosen, each fed back; eos is a line break and does not
  stop the sample;
- pad, bos and unk (ids 0, 1, 3) are never chosen;
- greedy: the most likely token of the log-softmax (ties: the lower id); sampling: a draw
  from softmax(log_probs / temperature), cut to --top-k and the --top-p nucleus. The
  random stream is torch's (one per process), not recur's per-sample streams: sampled
  texts differ from recur's, greedy ones should not.

Writes one JSON line per sample, {"sample", "prompt", "text", "log_prob"} as `recur
generate --json` does (text: the generated part, eos as "\\n"; log_prob: the sum of the
chosen tokens' log-probabilities), and prints one JSON line of statistics to stderr:
  {"samples", "characters" (code points of the texts), "seconds" (generation),
   "load_seconds" (model folder)}

  /usr/bin/python3 bench/peer/torch_generate.py --model DIR [--prompt TEXT] [--samples N]
      [--max-length N] [--greedy | --temperature T [--top-k K] [--top-p P] [--seed N]]
      [-o OUT] [--threads N] [--shard K/N]

--shard K/N generates only the K-th (0-based) of N contiguous slices of the samples
(numbered as in the whole set), for running N single-threaded processes side by side.
"""

import argparse
import json
import os
import sys
import time

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(REPO, "scripts", "reference"))
sys.path.insert(0, os.path.join(REPO, "scripts", "convert"))
from batching import shard  # noqa: E402
import recur_pipeline  # noqa: E402
import safetensors_io  # noqa: E402
import torch_rnn  # noqa: E402

PAD, BOS, EOS, UNK = 0, 1, 2, 3
CELLS = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}


class LmDecoder(nn.Module):
    def __init__(self, tensors, cell):
        super().__init__()
        vocab, emb = tensors["decoder.embedding.weight"].shape
        hidden = tensors["decoder.rnn.l0.w_hh"].shape[0]
        layers = sum(1 for k in tensors if k.startswith("decoder.rnn.") and k.endswith(".w_hh"))
        self.embedding = nn.Embedding(vocab, emb, padding_idx=PAD)
        self.rnn = CELLS[cell](emb, hidden, layers, batch_first=True)
        self.projection = nn.Linear(hidden, vocab)
        rnn = {}
        for k, v in tensors.items():
            if k.startswith("decoder.rnn."):  # decoder.rnn.l{k}.{w_ih,w_hh,bias}
                parts = k.split(".")
                rnn[f"{parts[3]}_l{parts[2][1:]}"] = v
        sd = {"embedding.weight": tensors["decoder.embedding.weight"],
              # tie_embeddings: the projection is the embedding table
              "projection.weight": tensors.get("decoder.projection.weight", tensors["decoder.embedding.weight"]),
              "projection.bias": tensors["decoder.projection.bias"]}
        for k, v in torch_rnn.recur_to_torch(rnn, cell, layers, False).items():
            sd["rnn." + k] = v
        own = self.state_dict()
        if set(sd) != set(own):
            raise ValueError(f"weights: missing {sorted(set(own) - set(sd))}, unexpected {sorted(set(sd) - set(own))}")
        self.load_state_dict({k: torch.as_tensor(v).float().reshape(own[k].shape) for k, v in sd.items()})

    def step(self, prev, state):
        """prev [B] ids, state (None: zeros) -> (log-probs [B, V], state)."""
        out, state = self.rnn(self.embedding(prev)[:, None, :], state)
        return torch.log_softmax(self.projection(out[:, 0]), dim=-1), state


class LmFolder:
    def __init__(self, folder):
        import yaml

        with open(os.path.join(folder, "pipeline.yaml"), encoding="utf-8") as f:
            root = yaml.safe_load(f)
        if root.get("task") != "language_model":
            raise ValueError(f"{folder}: task {root.get('task')}, not language_model")
        tok = root["target"]["tokenizer"]
        kinds = {"char": "char", "whitespace": "word"}
        if tok.get("plugin") not in kinds or "vocab" not in tok or tok.get("lowercase") or tok.get("split_punctuation"):
            raise ValueError(f"unsupported tokenizer {tok} (char or whitespace over a vocab file)")
        kind = kinds[tok["plugin"]]
        self.tokenizer = recur_pipeline.Tokenizer(recur_pipeline.read_vocab(os.path.join(folder, tok["vocab"]), kind),
                                                  kind)
        tensors, _ = safetensors_io.read(os.path.join(folder, root.get("weights", "model.safetensors")))
        self.model = LmDecoder(tensors, root["decoder"]["plugin"]).eval()
        search = root.get("search") or {}
        self.temperature = float(search.get("temperature", 1.0))
        self.top_k = int(search.get("top_k", 0))
        self.top_p = float(search.get("top_p", 1.0))
        self.seed = int(search.get("seed", 1))

    def encode(self, text):
        """recur's encode_stream: lines encoded, joined by eos (a trailing CR dropped)."""
        ids = []
        lines = text.split("\n")
        for n, line in enumerate(lines):
            ids += self.tokenizer.encode(line[:-1] if line.endswith("\r") else line)
            if n + 1 < len(lines):
                ids.append(EOS)
        return ids

    def decode(self, ids):
        """recur's decode_stream: eos is a line break."""
        out, line = [], []
        for i in ids:
            if i == EOS:
                out.append(self.tokenizer.decode(line) + "\n")
                line = []
            else:
                line.append(i)
        return "".join(out) + self.tokenizer.decode(line)


def generate(folder, samples, prefix, max_length, greedy, temperature, top_k, top_p, generator):
    """Token ids [samples][max_length] and their log-probabilities [samples]."""
    model = folder.model
    prev = torch.full((samples,), EOS, dtype=torch.int64)
    state = None
    for token in prefix:  # the prompt: read, nothing chosen
        _, state = model.step(prev, state)
        prev = torch.full((samples,), token, dtype=torch.int64)
    chosen = []
    log_prob = torch.zeros(samples, dtype=torch.float64)
    for _ in range(max_length):
        lp, state = model.step(prev, state)
        lp[:, [PAD, BOS, UNK]] = float("-inf")
        if greedy:
            prev = torch.argmax(lp, dim=-1)  # the first maximum: ties go to the lower id
        else:
            prev = draw(lp, temperature, top_k, top_p, generator)
        log_prob += lp.gather(1, prev[:, None])[:, 0].double()
        chosen.append(prev)
    ids = torch.stack(chosen, dim=1) if chosen else torch.zeros((samples, 0), dtype=torch.int64)
    return ids.tolist(), log_prob.tolist()


def draw(lp, temperature, top_k, top_p, generator):
    """One token per row from softmax(lp / T), cut to the top k and to the nucleus."""
    logits = lp / temperature
    if top_k > 0 or top_p < 1.0:
        k = min(top_k, lp.shape[1]) if top_k > 0 else lp.shape[1]
        values, index = torch.topk(logits, k, dim=-1)
        probs = torch.softmax(values, dim=-1)
        if top_p < 1.0:  # the fewest candidates whose mass reaches top_p
            before = torch.cumsum(probs, dim=-1) - probs
            probs = probs.masked_fill(before >= top_p, 0.0)
        pick = torch.multinomial(probs, 1, generator=generator)
        return index.gather(1, pick)[:, 0]
    return torch.multinomial(torch.softmax(logits, dim=-1), 1, generator=generator)[:, 0]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True)
    p.add_argument("--prompt", default="")
    p.add_argument("--samples", type=int, default=1)
    p.add_argument("--max-length", type=int, default=500)
    p.add_argument("--greedy", action="store_true")
    p.add_argument("--temperature", type=float)
    p.add_argument("--top-k", type=int)
    p.add_argument("--top-p", type=float)
    p.add_argument("--seed", type=int)
    p.add_argument("-o", "--output", default="-")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--shard", default="0/1", help="K/N: generate the K-th of N contiguous slices of the samples")
    args = p.parse_args()
    try:
        numbers = shard(list(range(1, args.samples + 1)), args.shard)
    except ValueError as e:
        sys.exit(str(e))
    if args.greedy and (args.temperature is not None or args.top_k is not None or args.top_p is not None):
        sys.exit("--greedy does not sample: --temperature, --top-k and --top-p do not apply")
    torch.set_num_threads(args.threads)

    start = time.perf_counter()
    folder = LmFolder(args.model)
    load = time.perf_counter() - start
    temperature = folder.temperature if args.temperature is None else args.temperature
    top_k = folder.top_k if args.top_k is None else args.top_k
    top_p = folder.top_p if args.top_p is None else args.top_p
    seed = folder.seed if args.seed is None else args.seed
    generator = torch.Generator().manual_seed(seed * 1000003 + int(args.shard.split("/")[0]))

    start = time.perf_counter()
    characters = 0
    dst = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    with torch.inference_mode():
        if numbers:
            ids, log_probs = generate(folder, len(numbers), folder.encode(args.prompt), args.max_length,
                                      args.greedy, temperature, top_k, top_p, generator)
            for n, row, lp in zip(numbers, ids, log_probs):
                text = folder.decode(row)
                characters += len(text)
                dst.write(json.dumps({"sample": n, "prompt": args.prompt, "text": text, "log_prob": lp},
                                     ensure_ascii=False) + "\n")
    dst.flush()
    seconds = time.perf_counter() - start
    print(json.dumps({"samples": len(numbers), "characters": characters, "seconds": seconds,
                      "load_seconds": load}), file=sys.stderr)


if __name__ == "__main__":
    main()
