"""recur's mini-batch cut (framework/src/data/batching.cc), shared by the PyTorch peers so
that both sides batch alike, and the peers' --shard K/N slicing."""


def cut_batches(order, length, max_tokens, max_rows):
    """Cuts `order` (indices already sorted by decreasing length[i]) into batches of at
    most max_rows rows whose rows x longest stays within max_tokens."""
    batches, current, longest = [], [], 0
    for i in order:
        width = max(longest, length[i])
        if current and ((len(current) + 1) * width > max_tokens or len(current) + 1 > max_rows):
            batches.append(current)
            current, width = [], length[i]
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
