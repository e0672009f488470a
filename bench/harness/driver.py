#!/usr/bin/python3
"""Runs the benchmark scripts (one per measurement), assembles their rows into one
markdown table with the machine description, prints it and writes it to
bench/results/<date>-<host kind>[-quick][-<rows of --only>][-<n>].md (a second run on
the same day gets -2, -3...; --quick results are not meant to be kept)."""

import datetime
import json
import os
import subprocess
import sys
import time

import common as c
import machine

SCRIPTS = ("translate", "latency", "train", "flops", "memory_scale", "caption", "classify", "generate",
           "precision", "forecast", "summarize")
# The rows that run the translation model folder (--model).
NEED_MODEL = ("translate", "latency", "train", "flops", "precision")


def ratio(row):
    r, t = row.get("recur"), row.get("torch")
    return None if r is None or t is None or t == 0 else r / t


def table(rows):
    out = ["| measurement | unit | recur | PyTorch | recur / PyTorch | notes |",
           "|---|---|--:|--:|--:|---|"]
    for row in rows:
        unit = row["unit"] + (" (lower is better)" if row.get("lower") else "")
        q = ratio(row)
        # A row against something other than PyTorch (recur f32 for the precision rows) says so.
        base = c.fmt(row.get("torch")) + (f" ({row['versus']})" if row.get("versus") else "")
        out.append(f"| {row['measure']} | {unit} | {c.fmt(row.get('recur'))} | {base} | "
                   f"{'–' if q is None else f'{q:.2f}x'} | {row.get('note', '')} |")
    return "\n".join(out)


def shown(path):
    """A path as the results file shows it: relative to the repository when inside it."""
    path = os.path.abspath(path)
    return os.path.relpath(path, c.REPO) if path.startswith(c.REPO + os.sep) else path


def main():
    p = c.arg_parser(__doc__.split("\n\n")[0])
    p.add_argument("--only", default=",".join(SCRIPTS), help=f"comma-separated subset of {','.join(SCRIPTS)}")
    args = p.parse_args()
    names = args.only.split(",")
    unknown = [n for n in names if n not in SCRIPTS]
    if unknown:
        sys.exit(f"--only: unknown {','.join(unknown)} (known: {','.join(SCRIPTS)})")
    if any(n in NEED_MODEL for n in names) and not os.path.exists(os.path.join(args.model, "pipeline.yaml")):
        sys.exit(f"{args.model}: no pipeline.yaml (train the shipped model first, or pass --model DIR)")
    skipped = []
    # Rows whose model or data may not exist yet: (name, what is missing or None, how to make it).
    optional = [
        ("caption", None if os.path.exists(os.path.join(args.caption_model, "pipeline.yaml"))
         else f"{args.caption_model} has no pipeline.yaml",
         "recur train pipelines/caption-emoji.yaml -o models/emoji-caption, or pass --caption-model DIR"),
        ("classify", None if os.path.exists(os.path.join(args.classify_model, "pipeline.yaml"))
         else f"{args.classify_model} has no pipeline.yaml", "pass --classify-model DIR"),
        ("classify", None if os.path.exists(args.classify_data) else f"{args.classify_data} is missing",
         "scripts/data/build_sentiment_corpus.py, or pass --classify-data FILE"),
        ("generate", None if os.path.exists(os.path.join(args.lm_model, "pipeline.yaml"))
         else f"{args.lm_model} has no pipeline.yaml",
         "recur train pipelines/moby-dick.yaml -o models/moby-dick, or pass --lm-model DIR"),
        ("forecast", None if os.path.exists(os.path.join(args.forecast_model, "pipeline.yaml"))
         else f"{args.forecast_model} has no pipeline.yaml", "pass --forecast-model DIR"),
        ("forecast", None if os.path.exists(args.forecast_data) else f"{args.forecast_data} is missing",
         "scripts/data/build_series_corpus.py, or pass --forecast-data FILE"),
        ("summarize", None if os.path.exists(args.summarize_data) else f"{args.summarize_data} is missing",
         "scripts/data/build_ddtp_corpus.py, or pass --summarize-data FILE"),
    ]
    for name, missing, make in optional:
        if name not in names or not missing:
            continue
        # In the default set these rows wait for their model; asked for, it is an error.
        if args.only != ",".join(SCRIPTS):
            sys.exit(f"{name}: {missing} ({make})")
        names.remove(name)
        skipped.append(f"- {name.capitalize()} rows skipped: {missing} ({make})")
        print(skipped[-1][2:], file=sys.stderr)
    forwarded = [a for a in sys.argv[1:] if not a.startswith("--only=")]
    if "--only" in forwarded:
        i = forwarded.index("--only")
        del forwarded[i:i + 2]
    start = datetime.datetime.now(datetime.timezone.utc)
    description = machine.describe(args)
    if "caption" in names:
        description += (f"\n- Caption model folder: {shown(args.caption_model)}; images: "
                        f"{shown(args.caption_data)}")
    if "classify" in names:
        description += (f"\n- Classification model folder: {shown(args.classify_model)}; texts: "
                        f"{shown(args.classify_data)}")
    if "generate" in names:
        description += f"\n- Language model folder: {shown(args.lm_model)} (a snapshot is copied before the runs)"
    if "summarize" in names:
        description += (f"\n- Summarization model folder: {shown(args.summarize_model)}; documents: "
                        f"{shown(args.summarize_data)}")
    if "forecast" in names:
        description += (f"\n- Forecasting model folder: {shown(args.forecast_model)}; series: "
                        f"{shown(args.forecast_data)}")
    rows, timings = [], []
    for name in names:
        t0 = time.perf_counter()
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        r = subprocess.run([c.PYTHON, os.path.join(c.HERE, f"{name}.py")] + forwarded,
                           stdout=subprocess.PIPE, text=True)
        if r.returncode:
            sys.exit(f"bench: {name} failed")
        rows += json.loads(r.stdout.strip().splitlines()[-1])
        timings.append(f"{name} {time.perf_counter() - t0:.0f} s")
    end = datetime.datetime.now(datetime.timezone.utc)
    text = "\n".join([
        f"# recur vs PyTorch, {start:%Y-%m-%d %H:%M} UTC, {machine.host_kind()}",
        "",
        description,
        f"- Duration: {(end - start).total_seconds() / 60:.1f} min ({', '.join(timings)})",
        *skipped,
        "",
        table(rows),
        "",
        "How each row is measured: bench/README.md. Produced by `bench/run.sh"
        + (" --quick" if args.quick else "") + "`.",
        "",
    ])
    print(text)
    os.makedirs(os.path.join(c.BENCH, "results"), exist_ok=True)
    # A partial run (--only) names its rows; a second run on the same day never
    # overwrites the first.
    stem = f"{start:%Y-%m-%d}-{machine.host_kind()}{'-quick' if args.quick else ''}"
    if args.only != ",".join(SCRIPTS):
        stem += "-" + args.only.replace(",", "-")
    path = os.path.join(c.BENCH, "results", stem + ".md")
    n = 2
    while os.path.exists(path):
        path = os.path.join(c.BENCH, "results", f"{stem}-{n}.md")
        n += 1
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"bench: written {os.path.relpath(path, c.REPO)}", file=sys.stderr)


if __name__ == "__main__":
    main()
