"""recur's mini-batch cut (framework/src/data/batching.cc), shared by the PyTorch peers so
that both sides batch alike, and the peers' --shard K/N slicing."""


def steady_rows(n):
    """recur::steady_rows (core/steady_shapes.h)."""
    if n <= 8:
        return n
    step = 8 if n <= 64 else 16 if n <= 256 else 64
    return (n + step - 1) // step * step


def cut_batches(order, length, max_tokens, max_rows, steady=False):
    """Cuts `order` (indices already sorted by decreasing length[i]) into batches of at
    most max_rows rows whose rows x longest stays within max_tokens. With `steady` (how
    recur's runner batches for inference) a closed batch keeps the largest steady number
    of rows it can and hands the rest to the next one."""
    batches, current, longest = [], [], 0
    for i in order:
        width = max(longest, length[i])
        if current and ((len(current) + 1) * width > max_tokens or len(current) + 1 > max_rows):
            keep = len(current)
            while steady and keep > 1 and steady_rows(keep) != keep:
                keep -= 1
            batches.append(current[:keep])
            current = current[keep:]
            longest = length[current[0]] if current else 0
            width = max(longest, length[i])
        current.append(i)
        longest = width
    if current:
        batches.append(current)
    return batches


def shard(lines, spec):
    """The K-th (0-based) of N contiguous slices of lines, for spec "K/N"; the slices
    concatenated in K order are the whole input."""
    k, n = (int(v) for v in spec.split("/"))
    if not 0 <= k < n:
        raise ValueError(f"--shard {spec}: expected K/N with 0 <= K < N")
    return lines[len(lines) * k // n: len(lines) * (k + 1) // n]
