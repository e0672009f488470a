#!/usr/bin/python3
"""PyTorch peer of `recur translate`: the reference model of a recur model folder in
float32, batched the way recur batches (maxi-batches of lines sorted by source length,
mini-batches within a token budget of rows x longest source, at most 128 rows, as recur), greedy
or beam search with recur's rules (fast_search.py). Writes line i for input line i and
prints one JSON line of statistics to stderr:
  {"lines", "target_tokens", "seconds" (translation), "load_seconds" (model folder), "jit"}

  /usr/bin/python3 bench/peer/torch_translate.py --model DIR -i in.txt -o out.txt \
      [--beam N] [--threads N] [--shard K/N] [--jit eager|script|freeze] [--search fast|reference]

A copying decoder (pointer-generator, the summarizer) gets each batch's source ids as
recur's tasks give them: with words outside the vocabulary as extended ids, written back
as those words (copy_sources.py). The same script is the peer of `recur summarize`.

--shard K/N translates only the K-th (0-based) of N contiguous slices of the input, for
running N single-threaded processes side by side; the slices' outputs concatenated in K
order are the whole output. --jit runs the decoder step under torch.jit.script (and
torch.jit.freeze) where jit_decoder.py covers the model, else eagerly; the statistics
say which ran.
"""

import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from batching import cut_batches, shard  # noqa: E402
from copy_sources import CopySources  # noqa: E402
import fast_search  # noqa: E402
import jit_decoder  # noqa: E402
from model_folder import ModelFolder, ref  # noqa: E402
import recur_search  # noqa: E402


def make_batches(lengths, max_tokens, max_rows):
    """recur::data::make_batches as recur's runner calls it: decreasing length (stable),
    rows x longest <= budget, steady row counts."""
    order = sorted((i for i, n in enumerate(lengths) if n > 0), key=lambda i: -lengths[i])
    return cut_batches(order, lengths, max_tokens, max_rows, steady=True)


def copy_sources(folder):
    """The extended vocabulary of a copying model's folder, else None."""
    if not folder.model.decoder.settings.copy:
        return None
    return CopySources(folder.target, folder.model.decoder.vocab_size, ref.UNK)


def translate_lines(folder, lines, options, search, max_tokens=4096, max_rows=128, decoder=None,
                    copy=None):
    """Hypothesis ids per line (None for blank lines) and each line's OOV words;
    `decoder` replaces the model's (jit_decoder.wrap), `copy`: copy_sources(folder)."""
    ids = [folder.source_ids(line) for line in lines]
    extended = [copy.extend(line, r) if copy else (r, []) for line, r in zip(lines, ids)]
    out = [None for _ in lines]
    decode = fast_search.decode if search == "fast" else recur_search.decode
    for batch in make_batches([len(r) for r in ids], max_tokens, max_rows):
        rows = [ids[i] for i in batch]
        src, lengths = ref.pad_batch(rows)
        memory = folder.model.encoder(src, lengths)
        if copy:
            memory.source_ids, _ = ref.pad_batch([extended[i][0] for i in batch])
        for i, hyps in zip(batch, decode(decoder or folder.model.decoder, memory, [len(r) for r in rows], options)):
            out[i] = hyps[0].ids
    return out, [oovs for _, oovs in extended]


def read_chunks(stream, n):
    chunk = []
    for line in stream:
        chunk.append(line.rstrip("\n").rstrip("\r"))
        if len(chunk) == n:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True)
    p.add_argument("-i", "--input", default="-")
    p.add_argument("-o", "--output", default="-")
    p.add_argument("--beam", type=int, default=0)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--batch-tokens", type=int, default=4096)
    p.add_argument("--maxi-batch", type=int, default=1000)
    p.add_argument("--search", choices=("fast", "reference"), default="fast")
    p.add_argument("--shard", default="0/1", help="K/N: translate the K-th of N contiguous slices")
    p.add_argument("--jit", choices=("eager", "script", "freeze"), default="eager")
    args = p.parse_args()
    try:
        shard([], args.shard)
    except ValueError as e:
        sys.exit(str(e))
    torch.set_num_threads(args.threads)
    torch.set_grad_enabled(False)

    start = time.perf_counter()
    folder = ModelFolder(args.model)
    decoder, jit = jit_decoder.wrap(folder.model.decoder, args.jit)
    load = time.perf_counter() - start
    options = folder.options
    if args.beam:
        options.beam_size = args.beam
    options.n_best = 1

    src = sys.stdin if args.input == "-" else open(args.input, encoding="utf-8", errors="replace")
    dst = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    lines = tokens = 0
    start = time.perf_counter()
    if args.shard != "0/1":
        src = shard(src.read().splitlines(), args.shard)
    copy = copy_sources(folder)
    for chunk in read_chunks(src, args.maxi_batch):
        hyps, oovs = translate_lines(folder, chunk, options, args.search, args.batch_tokens, decoder=decoder,
                                     copy=copy)
        for hyp, words in zip(hyps, oovs):
            text = "" if hyp is None else copy.decode(hyp, words) if copy else folder.target.decode(hyp)
            dst.write(text.replace("\n", " ").replace("\r", " ") + "\n")
            tokens += 0 if hyp is None else len(hyp) + 1
        lines += len(chunk)
    dst.flush()
    seconds = time.perf_counter() - start
    print(json.dumps({"lines": lines, "target_tokens": tokens, "seconds": seconds,
                      "load_seconds": load, "jit": jit}), file=sys.stderr)


if __name__ == "__main__":
    main()
