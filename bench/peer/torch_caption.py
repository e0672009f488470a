#!/usr/bin/python3
"""PyTorch peer of `recur caption`: the reference captioning model of a recur model folder
(scripts/reference/recur_cnn.py, loaded by recur_pipeline) in float32, images decoded and
preprocessed as the opencv plugin does (image_prep.py), batched as recur batches (maxi-
batches of records, mini-batches of at most the pipeline's batch.max_rows images), greedy
or beam search with recur's rules (fast_search.py). Writes `path<TAB>caption` for each
record in input order (an unusable image gets an empty caption and a warning) and prints
one JSON line of statistics to stderr:
  {"images", "target_tokens", "seconds" (captioning), "load_seconds" (model folder)}

  /usr/bin/python3 bench/peer/torch_caption.py --model DIR -i list.tsv -o out.tsv \
      [--beam N] [--threads N] [--shard K/N] [--search fast|reference] [--jit eager|freeze]

A list line is a path, optionally followed by a TAB and anything (a `path<TAB>caption`
TSV works); relative paths are relative to the list's folder, as for recur. --shard K/N
captions only the K-th (0-based) of N contiguous slices of the records, for running N
single-threaded processes side by side; the slices' outputs concatenated in K order are
the whole output. --jit freeze runs the CNN encoder traced and frozen (torch.jit.freeze
folds each batch norm into its convolution, as recur does; 1.6x faster than eager on the
shipped model's 64-image batches, one thread); the decoder stays eager.
"""

import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from batching import cut_batches, shard  # noqa: E402
import fast_search  # noqa: E402
import image_prep  # noqa: E402
import model_folder  # noqa: E402,F401  (puts scripts/reference on sys.path)
import recur_pipeline  # noqa: E402
import recur_reference  # noqa: E402
import recur_search  # noqa: E402


class CaptionFolder:
    """A captioning model folder: the float32 model, preprocessing, tokenizer, search
    options and batch limits."""

    def __init__(self, folder):
        import yaml

        path = os.path.join(folder, "pipeline.yaml")
        model, pre, self.target, self.options = recur_pipeline.load_pipeline(path)
        self.model = model.float().eval()  # float32 weights are exact: they were stored in f32
        self.encode = self.model.encoder  # images -> Memory (main() may freeze it)
        self.images = image_prep.ImageSettings(pre)
        with open(path, encoding="utf-8") as f:
            batch = yaml.safe_load(f).get("batch") or {}
        self.max_tokens = int(batch.get("max_tokens", 4096))
        self.max_rows = int(batch.get("max_rows", 128))
        self.maxi_batch = int(batch.get("maxi_batch", 1000))


class _MemoryTuple(torch.nn.Module):
    """The encoder with its Memory as a tuple, which torch.jit.trace can follow."""

    def __init__(self, encoder):
        super().__init__()
        self.encoder = encoder

    def forward(self, images):
        m = self.encoder(images)
        return m.states, m.mask, m.summary


class FrozenEncoder:
    """encoder(images) -> Memory, run as a traced and frozen graph (batch sizes may vary)."""

    def __init__(self, encoder, images):
        self.graph = torch.jit.freeze(torch.jit.trace(_MemoryTuple(encoder).eval(), images, check_trace=False))

    def __call__(self, images):
        return recur_reference.Memory(*self.graph(images))


def record_path(line):
    """recur's image_record: the first TAB field without trailing spaces and CR."""
    return line.split("\t", 1)[0].rstrip(" \r")


def caption_chunk(folder, paths, base_dir, search, warn):
    """Hypothesis ids per path (None: unusable), one maxi-batch."""
    out = [None] * len(paths)
    usable = [i for i, p in enumerate(paths) if p]
    decode = fast_search.decode if search == "fast" else recur_search.decode
    for batch in cut_batches(usable, [1] * len(paths), folder.max_tokens, folder.max_rows, steady=True):
        rows, tensors = [], []
        for i in batch:
            try:
                t = image_prep.load(os.path.join(base_dir, paths[i]), folder.images)
            except (OSError, ValueError) as e:
                warn(i, str(e))
                continue
            if tensors and t.shape != tensors[0].shape:
                warn(i, f"image tensor {list(t.shape)} differs from the batch's")
                continue
            rows.append(i)
            tensors.append(t)
        if not rows:
            continue
        memory = folder.encode(torch.stack(tensors))
        s = memory.states.shape[1]
        for i, hyps in zip(rows, decode(folder.model.decoder, memory, [s] * len(rows), folder.options)):
            out[i] = hyps[0].ids
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True)
    p.add_argument("-i", "--input", required=True)
    p.add_argument("-o", "--output", default="-")
    p.add_argument("--beam", type=int, default=0)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--shard", default="0/1", help="K/N: caption the K-th of N contiguous slices")
    p.add_argument("--search", choices=("fast", "reference"), default="fast")
    p.add_argument("--jit", choices=("eager", "freeze"), default="eager", help="the CNN encoder's mode")
    args = p.parse_args()
    try:
        shard([], args.shard)
    except ValueError as e:
        sys.exit(str(e))
    torch.set_num_threads(args.threads)
    torch.set_grad_enabled(False)

    start = time.perf_counter()
    folder = CaptionFolder(args.model)
    if args.jit == "freeze":
        example = torch.zeros(folder.max_rows, folder.images.channels, folder.images.height, folder.images.width)
        folder.encode = FrozenEncoder(folder.model.encoder, example)
    load = time.perf_counter() - start
    if args.beam:
        folder.options.beam_size = args.beam
    folder.options.n_best = 1

    base_dir = os.path.dirname(os.path.abspath(args.input))
    start = time.perf_counter()
    with open(args.input, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    lines = shard(lines, args.shard)
    dst = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    images = tokens = 0
    for first in range(0, len(lines), folder.maxi_batch):
        paths = [record_path(line) for line in lines[first:first + folder.maxi_batch]]

        def warn(i, why):
            print(f"{args.input}: record {first + i + 1} of the slice: {paths[i]}: {why}; its caption is empty",
                  file=sys.stderr)

        for path, hyp in zip(paths, caption_chunk(folder, paths, base_dir, args.search, warn)):
            text = "" if hyp is None else folder.target.decode(hyp)
            dst.write(path.replace("\n", " ") + "\t" + text.replace("\n", " ").replace("\r", " ") + "\n")
            tokens += 0 if hyp is None else len(hyp) + 1
        images += len(paths)
    dst.flush()
    seconds = time.perf_counter() - start
    print(json.dumps({"images": images, "target_tokens": tokens, "seconds": seconds,
                      "load_seconds": load, "jit": args.jit}), file=sys.stderr)


if __name__ == "__main__":
    main()
