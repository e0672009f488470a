"""What machine and software a result file was measured on."""

import os
import platform
import re
import subprocess

import common as c


def _cmd(args, env=None):
    try:
        return subprocess.run(args, capture_output=True, text=True, check=False, env=env).stdout.strip()
    except OSError:
        return ""


def _lscpu():
    fields = {}
    for line in _cmd(["lscpu"]).splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


def host_kind():
    """A file-name-safe machine kind, e.g. kvm-2cpu-6-207 (hypervisor, CPUs, family-model)."""
    f = _lscpu()
    virt = f.get("Hypervisor vendor", "metal").lower()
    return re.sub(r"[^a-z0-9-]+", "-", f"{virt}-{os.cpu_count()}cpu-{f.get('CPU family', '')}-{f.get('Model', '')}")


def _torch_info():
    code = ("import torch; c = torch.__config__.show(); "
            "cap = [l.split(':')[1].strip() for l in c.splitlines() if 'CPU capability' in l]; "
            "print(torch.__version__, '(CPU capability', (cap or ['?'])[0] + ')')")
    return _cmd([c.PYTHON, "-c", code])


_BLAS_CORE = """
import ctypes, torch
libs = sorted({l.split()[-1] for l in open("/proc/self/maps") if "openblas" in l.split()[-1]})
for path in libs:
    try:
        lib = ctypes.CDLL(path)
        lib.openblas_get_corename.restype = lib.openblas_get_config.restype = ctypes.c_char_p
        print(lib.openblas_get_corename().decode(), "|", lib.openblas_get_config().decode(), "|", path)
        break
    except (OSError, AttributeError):
        pass
else:
    print("no OpenBLAS loaded by torch |", " ".join(libs) or "-", "|")
"""


def blas_core(args):
    """The kernel (core type) OpenBLAS picks in the peer's own environment (no forcing
    variables), its build configuration and library path, asked of the libopenblas that
    `import torch` loaded."""
    out = _cmd([c.PYTHON, "-c", _BLAS_CORE], c.torch_env(args.threads)).split(" | ")
    if len(out) != 3:
        return "OpenBLAS kernel: unknown (" + " | ".join(out) + ")"
    forced = c.forced_blas()
    return (f"OpenBLAS kernel chosen by OpenBLAS: {out[0]} ({out[1]}; {out[2]})"
            + (f"; removed from the peer's environment: {', '.join(forced)}" if forced else ""))


def describe(args):
    f = _lscpu()
    mem_kb = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
    isa = [x for x in ("avx2", "avx_vnni", "avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16", "amx_tile") if x in f.get("Flags", "").split()]
    dnnl = _cmd(["dpkg-query", "-W", "-f", "${Version}", "libdnnl2"]) or "unknown"
    blas = os.path.basename(os.path.dirname(os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")))
    load = os.getloadavg()
    git = _cmd(["git", "-C", c.REPO, "rev-parse", "--short", "HEAD"])
    return "\n".join([
        f"- CPU: {f.get('Model name', '?')} (family {f.get('CPU family', '?')}, model {f.get('Model', '?')}), "
        f"{f.get('Socket(s)', '?')} socket x {f.get('Core(s) per socket', '?')} cores x "
        f"{f.get('Thread(s) per core', '?')} threads = {os.cpu_count()} CPUs; "
        f"{f.get('Hypervisor vendor', 'no') } hypervisor; ISA {', '.join(isa)}; L2 {f.get('L2 cache', '?')}, "
        f"L3 {f.get('L3 cache', '?')}",
        f"- Memory: {mem_kb / 2**20:.1f} GiB; kernel {platform.release()}",
        f"- recur {git}, oneDNN {dnnl} (Debian libdnnl2, OpenMP); torch {_torch_info()}; libblas.so.3 from {blas}",
        f"- {blas_core(args)}",
        f"- Threads: recur --threads {args.threads}; PyTorch as 1 process with torch.set_num_threads({args.threads}) "
        f"and (translation, summarization, captioning, classification, generation) as {args.threads} single-threaded processes on {args.threads} shards, "
        f"training and latency also with 1 thread (OMP_NUM_THREADS and OPENBLAS_NUM_THREADS equal to the "
        f"threads); each with glibc's malloc"
        + (f" and with tcmalloc (LD_PRELOAD={c.TCMALLOC})" if "tcmalloc" in c.allocators() else
           " (tcmalloc not installed: libtcmalloc-minimal4)")
        + f"; load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        f"- Model folder: {os.path.relpath(args.model, c.REPO) if args.model.startswith(c.REPO) else os.path.basename(args.model.rstrip('/'))}; "
        f"{'--quick (tiny sizes: harness check, not a measurement)' if args.quick else f'{args.reps} alternating runs per side, medians'}",
    ])
