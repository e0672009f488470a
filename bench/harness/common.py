"""Shared pieces of the benchmark scripts: running a command with its own peak RSS,
medians and percentiles, the settings every script takes, and markdown rows."""

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
REPO = os.path.dirname(BENCH)
PYTHON = "/usr/bin/python3"
PEER = os.path.join(BENCH, "peer")


def arg_parser(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--build", default=os.path.join(REPO, "build"), help="recur build directory")
    p.add_argument("--model", default=os.path.join(REPO, "models", "en-fr"), help="model folder")
    p.add_argument("--data", default=os.path.join(REPO, "data", "ddtp", "en-fr"),
                   help="folder with train/valid/test .en/.fr")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--reps", type=int, default=3, help="repetitions per side (median)")
    p.add_argument("--quick", action="store_true", help="tiny sizes: checks the harness, not the machine")
    p.add_argument("--scale-sizes", default="", help="memory_scale input sizes in MB, comma-separated")
    p.add_argument("--work", default=os.path.join(BENCH, "results", "work"), help="scratch folder")
    p.add_argument("--caption-model", default=os.path.join(REPO, "models", "emoji-caption"),
                   help="captioning model folder (caption rows)")
    p.add_argument("--caption-data", default=os.path.join(REPO, "data", "emoji", "test.tsv"),
                   help="image list for the caption rows: path[<TAB>caption] lines, relative to its folder")
    return p


def recur_bin(args, name="recur"):
    path = os.path.join(args.build, "bin", name)
    if not os.path.exists(path):
        sys.exit(f"{path} missing: build it (bench/run.sh does)")
    return path


class Run:
    """A finished child: wall seconds, peak resident set (MiB), stdout, stderr."""

    def __init__(self, seconds, max_rss_mib, out, err):
        self.seconds, self.max_rss_mib, self.out, self.err = seconds, max_rss_mib, out, err


def run(cmd, stdin_path=None, env=None):
    """Runs cmd to completion. Reaping the child with wait4 gives its own rusage
    (ru_maxrss, KiB on Linux), not the maximum over all children so far."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            open(stdin_path or os.devnull, "rb") as stdin:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=stdin, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        out_text = out.read().decode("utf-8", "replace")
        err_text = err.read().decode("utf-8", "replace")
    if proc.returncode:
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err_text[-2000:]}")
    return Run(seconds, usage.ru_maxrss / 1024.0, out_text, err_text)


def run_parallel(cmds, env=None):
    """Runs cmds side by side, all started before any is waited for. Returns one Run per
    command whose seconds are the wall time until the last one ended (the same for all),
    each with its own peak RSS, stdout and stderr."""
    with contextlib.ExitStack() as stack:
        files = [(stack.enter_context(tempfile.TemporaryFile()), stack.enter_context(tempfile.TemporaryFile()))
                 for _ in cmds]
        start = time.perf_counter()
        procs = [subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
                 for cmd, (out, err) in zip(cmds, files)]
        usages = []
        for proc in procs:
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            usages.append(usage)
        seconds = time.perf_counter() - start
        runs = []
        for cmd, proc, usage, (out, err) in zip(cmds, procs, usages, files):
            out.seek(0)
            err.seek(0)
            out_text = out.read().decode("utf-8", "replace")
            err_text = err.read().decode("utf-8", "replace")
            if proc.returncode:
                sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err_text[-2000:]}")
            runs.append(Run(seconds, usage.ru_maxrss / 1024.0, out_text, err_text))
    return runs


def median(xs):
    return statistics.median(xs)


def percentile(xs, q):
    """Nearest-rank percentile (q in 0..100)."""
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, int(round(q / 100.0 * len(s) + 0.5)) - 1))]


def emit(rows):
    """A measurement script's output: JSON rows {measure, unit, recur, torch, note}."""
    print(json.dumps(rows))


def fmt(x):
    if x is None:
        return "–"
    if isinstance(x, str):
        return x
    return f"{x:.3g}" if abs(x) < 100 else f"{x:,.0f}"


def torch_env(threads):
    env = dict(os.environ)
    env["OMP_NUM_THREADS"] = str(threads)
    return env
