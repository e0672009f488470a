#!/usr/bin/python3
"""PyTorch peer of `recur train` for throughput: the reference model (float32, recur's
initialisation) trained from a pipeline YAML's train: section the way recur's trainer
does it: pairs with fewer than max_length tokens per side, batches of similar lengths
within batch_tokens (rows x max(source + eos, target + 1)), shuffled; per step dropout
in train mode, teacher forcing, cross-entropy with label smoothing ignoring pad,
backward, gradient clipping, Adam with warmup and inverse-sqrt decay.
Logs target tokens/s (eos included) every log_every steps as JSON lines on stdout.

  /usr/bin/python3 bench/peer/torch_train.py PIPELINE.yaml [--steps N] [--threads N]

Paths in the YAML must be absolute (bench/harness/train.py writes such a file).
"""

import argparse
import json
import math
import os
import random
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from batching import cut_batches  # noqa: E402
from model_folder import ref, tokenizer  # noqa: E402


def load_pairs(src_tok, tgt_tok, source, target, max_length):
    with open(source, encoding="utf-8") as f, open(target, encoding="utf-8") as g:
        pairs = []
        for s, t in zip(f.read().splitlines(), g.read().splitlines()):
            s, t = src_tok.encode(s), tgt_tok.encode(t)
            if s and t and len(s) < max_length and len(t) < max_length:
                pairs.append((s + [src_tok.eos], t))
    return pairs


def batches(pairs, budget, max_rows, rng):
    order = list(range(len(pairs)))
    rng.shuffle(order)
    length = {i: max(len(pairs[i][0]), len(pairs[i][1]) + 1) for i in order}
    order.sort(key=lambda i: -length[i])
    out = cut_batches(order, length, budget, max_rows)
    rng.shuffle(out)
    return out


def model_from(root, vocab_src, vocab_tgt):
    e, d = root["encoder"], root["decoder"]
    enc = ref.EncoderSettings(vocab_size=vocab_src, embedding_size=e.get("embedding_size", 256),
                              hidden_size=e.get("hidden_size", 256), layers=e.get("layers", 2),
                              dropout=e.get("dropout", 0.2))
    m = 2 * enc.hidden_size
    dec = ref.DecoderSettings(vocab_size=vocab_tgt, memory_size=m, summary_size=m, cell=d["plugin"],
                              embedding_size=d.get("embedding_size", 256), hidden_size=d.get("hidden_size", 256),
                              layers=d.get("layers", 1), attention=d.get("attention", "general"),
                              attention_size=d.get("attention_size", 0), dropout=d.get("dropout", 0.2),
                              tie_embeddings=d.get("tie_embeddings", False))
    model = ref.Seq2Seq(enc, dec)
    ref.recur_init_(model, torch.Generator().manual_seed(1))
    return model


def vocab_size(tok):
    return tok.vocab_size if hasattr(tok, "vocab_size") else max(tok.pad + 1, tok.sp.get_piece_size())


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("pipeline")
    p.add_argument("--steps", type=int, default=60)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    import yaml

    with open(args.pipeline, encoding="utf-8") as f:
        root = yaml.safe_load(f)
    t = root["train"]
    src_tok = tokenizer(root["source"]["tokenizer"], "/")
    tgt_tok = tokenizer(root["target"]["tokenizer"], "/")
    pairs = load_pairs(src_tok, tgt_tok, t["data"]["source"], t["data"]["target"], t["data"].get("max_length", 100))
    model = model_from(root, vocab_size(src_tok), vocab_size(tgt_tok)).train()
    lr, warmup = t.get("lr", 0.002), t.get("warmup_steps", 500)
    opt = torch.optim.Adam(model.parameters(), lr=lr, betas=(t.get("beta1", 0.9), t.get("beta2", 0.999)))
    rng = random.Random(t.get("seed", 1))
    log_every = t.get("log_every", 100)
    step, window_tokens, window_start = 0, 0, time.perf_counter()
    while step < args.steps:
        for rows in batches(pairs, t.get("batch_tokens", 4096), 256, rng):
            step += 1
            for group in opt.param_groups:  # linear warmup, then inverse square root
                group["lr"] = lr * min(step / warmup, math.sqrt(warmup / step))
            src, lengths = ref.pad_batch([pairs[i][0] for i in rows], src_tok.pad)
            tgt_in, _ = ref.pad_batch([[tgt_tok.bos] + pairs[i][1] for i in rows], tgt_tok.pad)
            tgt_out, _ = ref.pad_batch([pairs[i][1] + [tgt_tok.eos] for i in rows], tgt_tok.pad)
            opt.zero_grad()
            logits, _ = model.decoder(model.encoder(src, lengths), tgt_in)
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1),
                                                     ignore_index=tgt_tok.pad,
                                                     label_smoothing=t.get("label_smoothing", 0.1))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), t.get("clip_norm", 5.0))
            opt.step()
            window_tokens += sum(len(pairs[i][1]) + 1 for i in rows)
            if step % log_every == 0:
                secs = time.perf_counter() - window_start
                print(json.dumps({"step": step, "loss": loss.item(), "tokens_per_s": window_tokens / secs}), flush=True)
                window_tokens, window_start = 0, time.perf_counter()
            if step >= args.steps:
                break


if __name__ == "__main__":
    main()
