// Independent pieces of one job (the runner's mini-batches, a forecaster's chunks of
// windows) run on several threads, each piece on one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

namespace recur {

// Runs work(0), ..., work(n - 1) on min(workers, n) threads, this one among them, each
// taking the next index not yet taken. The compute threads (ops::num_threads()) are
// shared out among them: one piece's kernels are too small to keep several cores busy,
// separate pieces are not. Each thread records nothing for backward; this thread's
// compute threads are restored after. The first error stops the others from taking
// more and is rethrown once all have stopped. Pieces must touch disjoint data.
void run_on_workers(std::size_t n, std::int64_t workers, const std::function<void(std::size_t)>& work);

}  // namespace recur
