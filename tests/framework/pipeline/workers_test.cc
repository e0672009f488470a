// run_on_workers: every piece runs once, on at most `workers` threads sharing the compute
// threads, with nothing recorded; the caller's thread count comes back; the first error
// is rethrown and stops the rest.
#include "recur/pipeline/workers.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "recur/ops/tape.h"
#include "recur/ops/threads.h"

namespace recur {
namespace {

struct Seen {
  std::mutex mutex;
  std::vector<int> runs;                 // per index
  std::set<std::thread::id> threads;
  std::set<int> compute;                 // ops::num_threads() inside the pieces
  bool recorded = false;                 // grad mode on inside a piece
};

void run(std::size_t n, std::int64_t workers, Seen& seen) {
  seen.runs.assign(n, 0);
  run_on_workers(n, workers, [&](std::size_t i) {
    std::lock_guard<std::mutex> lock(seen.mutex);
    ++seen.runs[i];
    seen.threads.insert(std::this_thread::get_id());
    seen.compute.insert(ops::num_threads());
    seen.recorded = seen.recorded || autograd::grad_enabled();
  });
}

TEST(RunOnWorkers, EveryPieceRunsOnceAndTheComputeThreadsAreShared) {
  ops::ScopedNumThreads four(4);
  for (std::int64_t workers : {1, 2, 4, 9}) {
    Seen seen;
    run(40, workers, seen);
    EXPECT_EQ(seen.runs, std::vector<int>(40, 1)) << workers;
    EXPECT_LE(seen.threads.size(), static_cast<std::size_t>(std::min<std::int64_t>(workers, 40))) << workers;
    const int share = workers >= 4 ? 1 : static_cast<int>(4 / workers);
    EXPECT_EQ(seen.compute, std::set<int>{share}) << workers;
    EXPECT_FALSE(seen.recorded) << workers;
    EXPECT_EQ(ops::num_threads(), 4) << "the caller's count is restored";
    EXPECT_TRUE(autograd::grad_enabled());
  }
}

TEST(RunOnWorkers, MoreWorkersThanPiecesAndNoPieces) {
  ops::ScopedNumThreads two(2);
  Seen seen;
  run(1, 8, seen);
  EXPECT_EQ(seen.runs, std::vector<int>{1});
  EXPECT_EQ(seen.compute, std::set<int>{2}) << "one piece keeps all compute threads";
  run(0, 4, seen);
  EXPECT_TRUE(seen.runs.empty());
}

TEST(RunOnWorkers, TheFirstErrorIsRethrownAndStopsTheRest) {
  ops::ScopedNumThreads two(2);
  for (std::int64_t workers : {1, 2}) {
    std::atomic<int> ran{0};
    EXPECT_THROW(run_on_workers(1000, workers,
                                [&](std::size_t i) {
                                  ++ran;
                                  if (i == 3) throw std::runtime_error("piece 3");
                                }),
                 std::runtime_error);
    EXPECT_LT(ran.load(), 1000) << workers;
    EXPECT_EQ(ops::num_threads(), 2);
  }
}

}  // namespace
}  // namespace recur
