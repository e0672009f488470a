"""Shared pieces of the benchmark scripts: running a command with its own peak RSS,
medians and percentiles, the settings every script takes, markdown rows, and the
PyTorch peer's configurations (issue #17: each ratio is against the fastest one)."""

import argparse
import contextlib
import json
import os
import re
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
    p.add_argument("--classify-model", default=os.path.join(REPO, "models", "sentiment"),
                   help="classification model folder (classify rows)")
    p.add_argument("--classify-data", default=os.path.join(REPO, "data", "sentiment", "test.text"),
                   help="texts for the classify rows, one per line (repeated to about 5,000 lines)")
    p.add_argument("--lm-model", default=os.path.join(REPO, "models", "moby-dick"),
                   help="character language model folder (generate rows)")
    p.add_argument("--forecast-model", default=os.path.join(REPO, "models", "forecast-co2"),
                   help="forecasting model folder (forecast rows)")
    p.add_argument("--forecast-data", default=os.path.join(REPO, "data", "series", "co2.csv"),
                   help="the series of the forecast rows (tiled to about 24,000 rows)")
    p.add_argument("--summarize-model", default=os.path.join(REPO, "models", "debian-summarize"),
                   help="summarization model folder (summarize rows)")
    p.add_argument("--summarize-data", default=os.path.join(REPO, "data", "ddtp", "sum", "test.src"),
                   help="documents for the summarize rows, one per line (the first 1,000 are used)")
    p.add_argument("--peer-jit", default="auto", choices=("auto", "eager", "script", "freeze"),
                   help="the PyTorch translator's decoder step: auto = the fastest on a sample")
    return p


def recur_bin(args, name="recur"):
    path = os.path.join(args.build, "bin", name)
    if not os.path.exists(path):
        sys.exit(f"{path} missing: build it (bench/run.sh does)")
    return path


def model_folder(path, flag):
    """The absolute path of a model folder, or exit naming the flag when it has no pipeline.yaml."""
    path = os.path.abspath(path)
    if not os.path.exists(os.path.join(path, "pipeline.yaml")):
        sys.exit(f"{path}: no pipeline.yaml (pass {flag} DIR)")
    return path


def data_file(path, flag, builder):
    """Exit naming the script that builds `path` (or the flag that replaces it) when it is missing."""
    if not os.path.exists(path):
        sys.exit(f"{path}: missing ({builder}, or pass {flag} FILE)")
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


def steady(rates):
    """The median of a run's logged rates without the first window (warm-up: primitive
    creation, allocator); the one window when there is only one."""
    return median(rates[1:] if len(rates) > 1 else rates)


def logged_rates(log, unit):
    """The rates `recur train` logs per window ("| 1234.5 tok/s"), as floats."""
    return [float(x) for x in re.findall(r"\| (\d+(?:\.\d+)?) " + re.escape(unit), log)]


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


# Environment variables that steer a BLAS (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE, ...; GOTO*
# are OpenBLAS's old names; MKL_DEBUG_CPU_TYPE, NVPL_BLAS_DEBUG_CPU_TYPE, BLIS_ARCH_TYPE
# for the others). The peer never gets them: OpenBLAS picks its kernel for the CPU
# itself, and machine.py records which.
BLAS_PREFIXES = ("OPENBLAS_", "GOTO", "MKL_", "NVPL_", "BLIS_")


def forced_blas():
    """The BLAS variables of this environment (removed for the peer)."""
    return sorted(k for k in os.environ if k.startswith(BLAS_PREFIXES))


# The peer's memory allocators: glibc's malloc, and tcmalloc (Debian's
# libtcmalloc-minimal4) preloaded when it is installed, as PyTorch's CPU tuning guides
# advise. With glibc, activations above its mmap threshold (32 MiB at most) are mapped
# and page-faulted in afresh on every batch: the captioning peer ran 2.8x slower at 64
# images per batch than with tcmalloc. Each peer configuration runs with each allocator.
TCMALLOC = "libtcmalloc_minimal.so.4"


def allocators():
    """"glibc", and "tcmalloc" when the dynamic linker can find it."""
    import ctypes.util
    return ["glibc", "tcmalloc"] if ctypes.util.find_library("tcmalloc_minimal") else ["glibc"]


def torch_env(threads, malloc="glibc"):
    """The peer's environment: ours without BLAS variables, then N OpenMP and N
    OpenBLAS threads (OpenBLAS would otherwise start one thread per CPU in every process),
    and tcmalloc preloaded for malloc "tcmalloc"."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(BLAS_PREFIXES)}
    env["OMP_NUM_THREADS"] = str(threads)
    env["OPENBLAS_NUM_THREADS"] = str(threads)
    if malloc == "tcmalloc":
        env["LD_PRELOAD"] = " ".join(x for x in (TCMALLOC, env.get("LD_PRELOAD", "")) if x)
    return env


def same_lines(a, b):
    """Share of output lines that are the same, line by line."""
    with open(a, encoding="utf-8") as f, open(b, encoding="utf-8") as g:
        x, y = f.read().splitlines(), g.read().splitlines()
    return sum(p == q for p, q in zip(x, y)) / max(1, max(len(x), len(y)))


def summary_count(r, unit):
    """N of recur's summary line (the last of stderr), "recur: N <unit> ..."."""
    return int(r.err.strip().splitlines()[-1].split("recur: ")[1].split(f" {unit}")[0])


def summary_sample(r, unit):
    """recur's Sample from its summary line (the last of stderr), "recur: N <unit> ... |
    X s, R <unit>/s | ...": own seconds N / R (the tool's own time, model loading excluded),
    "target_tokens" when the line counts them."""
    line = r.err.strip().splitlines()[-1]
    n = summary_count(r, unit)
    rate = float(line.split(" s, ")[1].split(f" {unit}/s")[0])
    tokens = re.search(r"(\d+) target tokens", line)
    stats = {"target_tokens": int(tokens.group(1))} if tokens else {}
    return Sample(n / rate if rate > 0 else r.seconds, r.seconds, r.max_rss_mib, stats)


def search_rows(args, task, items, n, beam, recur_once, cmd, notes):
    """The rows of one search setting of a generating task whose outputs compare line by
    line: items/s (own time and whole process) and peak RSS, recur against the fastest peer
    configuration, with the share of identical outputs. recur_once(out) runs recur; cmd is
    the peer's command (run_peer); items = (plural noun, unit, own-time name, output noun);
    notes = (own-time row's extra note, whole-process row's)."""
    noun, unit, own, outputs = items
    peers = peer_configurations(args.threads)
    outs = {k: os.path.join(args.work, f"{task}.{k}.beam{beam}") for k in ["recur", *peers]}
    med = alternate(args, recur_once, cmd, outs)
    same = {k: same_lines(outs["recur"], outs[k]) for k in peers}
    name = "greedy" if beam == 1 else f"beam {beam}"
    rows = rate_rows(f"{task} {name}: {noun}/s", unit, n, peers, med, f"{own} time", (
        f"; {n} {noun}; identical {outputs} " + ", ".join(f"{100 * same[k]:.1f}% ({peers[k]})" for k in peers)
        + notes[0], notes[1]))
    rows.append(rss_row(f"{task} {name}: peak RSS", peers, med, own))
    return rows


# ---- the peer's configurations -------------------------------------------------------

class Sample:
    """One run of one side: own (translation, captioning...) seconds, whole-process
    seconds, peak RSS (MiB), and the peer's JSON statistics (summed over shards)."""

    def __init__(self, seconds, wall, rss_mib, stats=None):
        self.seconds, self.wall, self.rss_mib, self.stats = seconds, wall, rss_mib, stats or {}


def medians(samples):
    """Medians of the times and of each statistic; the largest peak RSS."""
    keys = [k for k, v in samples[0].stats.items() if isinstance(v, (int, float))]
    return Sample(median([s.seconds for s in samples]), median([s.wall for s in samples]),
                  max(s.rss_mib for s in samples), {k: median([s.stats[k] for s in samples]) for k in keys})


def malloc_label(malloc):
    return "" if malloc == "glibc" else f", {malloc}"


def join_config(base, malloc):
    """("procs", "tcmalloc") -> "procs+tcmalloc"; ("threads", "glibc") -> "threads"."""
    return base if malloc == "glibc" else f"{base}+{malloc}"


def split_config(name):
    """join_config's inverse."""
    base, _, malloc = name.partition("+")
    return base, malloc or "glibc"


def peer_configurations(threads):
    """name -> label: one process with N intra-op threads, and (N > 1) N single-threaded
    processes on N contiguous shards of the input, the parallelism of recur's workers;
    each with glibc's malloc ("threads", "procs") and tcmalloc ("threads+tcmalloc", ...)."""
    out = {}
    for malloc in allocators():
        out[join_config("threads", malloc)] = f"1 process x {threads} threads{malloc_label(malloc)}"
        if threads > 1:
            out[join_config("procs", malloc)] = f"{threads} processes x 1 thread{malloc_label(malloc)}"
    return out


def thread_settings(threads):
    """The peer's settings for one process (training, latency): "N" and "1" threads, each
    also with tcmalloc ("N+tcmalloc"); setting_threads, setting_env and setting_label
    read them."""
    counts = [threads, 1] if threads > 1 else [threads]
    return [join_config(str(n), m) for m in allocators() for n in counts]


def setting_threads(setting):
    return int(split_config(setting)[0])


def setting_env(setting):
    n, malloc = split_config(setting)
    return torch_env(int(n), malloc)


def setting_label(setting):
    n, malloc = split_config(setting)
    return threads_label(int(n)) + malloc_label(malloc)


def threads_label(n):
    return f"{n} thread{'s' if n != 1 else ''}"


def _stats(r):
    return json.loads(r.err.strip().splitlines()[-1])


def run_peer(config, threads, cmd, out):
    """Runs the peer in configuration `config`. cmd(output, threads, shard "K/N") is its
    command line; the peer prints JSON statistics with "seconds" as its last stderr line.
    For "procs" the N shards run side by side and their outputs are joined in order into
    `out`: own time is the slowest shard's, wall time the whole set's, RSS the sum of the
    processes' peaks, counts summed."""
    base, malloc = split_config(config)
    if base == "threads":
        r = run(cmd(out, threads, "0/1"), env=torch_env(threads, malloc))
        return Sample(_stats(r)["seconds"], r.seconds, r.max_rss_mib, _stats(r))
    parts = [f"{out}.{k}" for k in range(threads)]
    runs = run_parallel([cmd(parts[k], 1, f"{k}/{threads}") for k in range(threads)], env=torch_env(1, malloc))
    with open(out, "w", encoding="utf-8") as dst:
        for part in parts:
            with open(part, encoding="utf-8") as f:
                dst.write(f.read())
            os.remove(part)
    stats = [_stats(r) for r in runs]
    merged = {k: (max if "seconds" in k else sum)(s[k] for s in stats)
              for k, v in stats[0].items() if isinstance(v, (int, float))}
    return Sample(merged["seconds"], runs[0].seconds, sum(r.max_rss_mib for r in runs), merged)


def alternate(args, recur_once, cmd, outs):
    """--reps alternating runs, recur_once(outs["recur"]) then each peer configuration k
    writing outs[k]; the medians of each side (medians())."""
    runs = {k: [] for k in outs}
    for _ in range(args.reps):
        runs["recur"].append(recur_once(outs["recur"]))
        for k in outs:
            if k != "recur":
                runs[k].append(run_peer(k, args.threads, cmd, outs[k]))
    return {k: medians(v) for k, v in runs.items()}


def fastest(peers, med, field):
    """The configuration with the least median `field` ("seconds" or "wall")."""
    return min(peers, key=lambda k: getattr(med[k], field))


def versus(peers, med, field, best, rate):
    """A note naming the fastest configuration and the others' rates, rate(med[k], field)
    as text."""
    return f"PyTorch {peers[best]} (fastest)" + "".join(
        f"; {peers[k]}: {rate(med[k], field)}" for k in peers if k != best)


def rate_rows(measure, unit, n, peers, med, own, extra):
    """Two rows of n items / time, recur's and the fastest configuration's: with the
    tool's own time (named `own`, e.g. "translation time") and with the whole process's.
    extra: what each row's note adds, (own, whole)."""
    rows = []
    for (label, field), more in zip(((own, "seconds"), ("whole process", "wall")), extra):
        best = fastest(peers, med, field)
        note = versus(peers, med, field, best, lambda m, f: f"{fmt(n / getattr(m, f))} {unit}") + more
        rows.append({"measure": f"{measure} ({label})", "unit": unit,
                     "recur": n / getattr(med["recur"], field), "torch": n / getattr(med[best], field),
                     "note": note})
    return rows


def rss_row(measure, peers, med, own):
    """Peak RSS of recur and of the configuration with the fastest `own` time."""
    best = fastest(peers, med, "seconds")
    note = "whole process" + ("; PyTorch: sum of the processes" if split_config(best)[0] == "procs" else "")
    note += f"; PyTorch {peers[best]} (the fastest {own})" + "".join(
        f"; {peers[k]}: {fmt(med[k].rss_mib)} MiB" for k in peers if k != best)
    return {"measure": measure, "unit": "MiB", "lower": True,
            "recur": med["recur"].rss_mib, "torch": med[best].rss_mib, "note": note}
