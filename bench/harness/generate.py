#!/usr/bin/python3
"""Text generation with a character language model (models/moby-dick): `recur generate
--samples 64 --max-length 500 --prompt "Call me" --json`, greedy and sampled at
temperature 0.8, against bench/peer/torch_generate.py, alternating runs, median of
--reps. The peer runs in two configurations, one process with N intra-op threads over
the 64 samples and N single-threaded processes each generating a contiguous share of the
samples; each ratio is against the faster one. Characters/s counts the generated text's
characters (code points, line breaks included, the prompt excluded) over each tool's
own generation time and, separately, over the whole process's wall time (start-up and
model loading included); peak RSS is the whole process's (summed over the N processes).
Greedy texts are compared sample by sample; sampled texts differ by design (different
random streams), so the sampling rows measure speed only."""

import json
import os
import shutil
import sys

import common as c

SAMPLES = 64
MAX_LENGTH = 500
QUICK_MAX_LENGTH = 100
PROMPT = "Call me"
TEMPERATURE = 0.8
def snapshot(args):
    """A copy of the model folder in the scratch folder: a training still running may
    rewrite it whenever validation improves, and both sides must read the same weights."""
    dst = os.path.join(args.work, "lm-model")
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(args.lm_model, dst, ignore=shutil.ignore_patterns("*.csv", "checkpoint*"))
    return dst


def search_flags(greedy):
    return ["--greedy"] if greedy else ["--temperature", str(TEMPERATURE)]


def generated_characters(path):
    with open(path, encoding="utf-8") as f:
        return sum(len(json.loads(line)["text"]) for line in f if line.strip())


def recur_once(args, model, out, greedy, max_length, precision="f32"):
    """recur's generation time: its own summary line, "recur: N samples | T tokens, C
    characters | X s, R characters/s" (model loading excluded, writing included)."""
    r = c.run([c.recur_bin(args), "generate", "-m", model, "--samples", str(SAMPLES), "--max-length",
               str(max_length), "--prompt", PROMPT, "--json", "-o", out, "--threads", str(args.threads),
               "--precision", precision, *search_flags(greedy)])
    stats = [line for line in r.err.splitlines() if line.startswith("recur: ") and " characters/s" in line]
    if not stats:
        sys.exit(f"recur generate: no summary line on stderr:\n{r.err[-2000:]}")
    seconds = float(stats[-1].split(" | ")[2].split(" s, ")[0])
    return c.Sample(seconds, r.seconds, r.max_rss_mib, {"characters": generated_characters(out)})


def peer_cmd(args, model, greedy, max_length):
    """The peer's command line for (output, threads, shard)."""
    return lambda out, threads, shard: [
        c.PYTHON, os.path.join(c.PEER, "torch_generate.py"), "--model", model, "--samples", str(SAMPLES),
        "--max-length", str(max_length), "--prompt", PROMPT, "-o", out, "--threads", str(threads),
        "--shard", shard, *search_flags(greedy)]


def same_texts(a, b):
    """Share of samples whose text is the same (matched by sample number)."""
    def texts(path):
        with open(path, encoding="utf-8") as f:
            return {j["sample"]: j["text"] for j in map(json.loads, filter(str.strip, f))}
    x, y = texts(a), texts(b)
    return sum(x[k] == y.get(k) for k in x) / max(1, len(x), len(y))


def mode_rows(args, model, greedy, max_length):
    peers = c.peer_configurations(args.threads)
    name = "greedy" if greedy else f"sampling T={TEMPERATURE}"
    tag = "greedy" if greedy else "sample"
    outs = {k: os.path.join(args.work, f"generate.{k}.{tag}") for k in ["recur", *peers]}
    med = c.alternate(args, lambda out: recur_once(args, model, out, greedy, max_length),
                      peer_cmd(args, model, greedy, max_length), outs)
    n = int(med["recur"].stats["characters"])
    counts = {k: int(med[k].stats["characters"]) for k in peers}
    if any(v != n for v in counts.values()):
        sys.exit(f"generate {name}: recur wrote {n} characters, PyTorch {counts}")
    if greedy:
        same = {k: same_texts(outs["recur"], outs[k]) for k in peers}
        compared = "; identical texts " + ", ".join(f"{100 * same[k]:.1f}% ({peers[k]})" for k in peers)
    else:
        compared = "; texts not compared (different random streams)"
    rows = c.rate_rows(f"generate {name}: characters/s", "char/s", n, peers, med, "generation time", (
        f"; {SAMPLES} samples x {max_length} characters after \"{PROMPT}\"{compared}; recur's time is from its "
        "summary line (model loading excluded)",
        "; start-up and model loading included"))
    rows.append(c.rss_row(f"generate {name}: peak RSS", peers, med, "generation"))
    return rows


def main():
    args = c.arg_parser(__doc__.split("\n\n")[0]).parse_args()
    args.lm_model = c.model_folder(args.lm_model, "--lm-model")
    os.makedirs(args.work, exist_ok=True)
    model = snapshot(args)
    max_length = QUICK_MAX_LENGTH if args.quick else MAX_LENGTH
    c.emit([row for greedy in (True, False) for row in mode_rows(args, model, greedy, max_length)])


if __name__ == "__main__":
    main()
