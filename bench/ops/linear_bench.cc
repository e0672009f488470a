// ops::linear at decoder shapes, inference (no grad): rows 64 / 320 (beam x sentences),
// in 256 / 512 / 768 (hidden, context + hidden), out 256 / 8000 (hidden, vocabulary).
// The weight is the same tensor every call, as a decoder's is.
#include <benchmark/benchmark.h>

#include <random>

#include "bench_util.h"
#include "recur/ops/linear.h"
#include "recur/ops/tape.h"

namespace recur {
namespace {

using bench::random;

void BM_LinearInference(benchmark::State& state) {
  const std::int64_t rows = state.range(0), in = state.range(1), out = state.range(2);
  std::mt19937 rng(1);
  Tensor x = random({rows, in}, rng), w = random({out, in}, rng), b = random({out}, rng);
  autograd::NoGradGuard no_grad;
  ops::linear(x, w, b);  // primitive creation (and any weight reorder) out of the timing
  for (auto _ : state) benchmark::DoNotOptimize(ops::linear(x, w, b).raw_data());
  state.counters["GFLOP/s"] = benchmark::Counter(2e-9 * double(rows * in * out),
                                                 benchmark::Counter::kIsIterationInvariantRate);
}

BENCHMARK(BM_LinearInference)
    ->ArgNames({"rows", "in", "out"})
    ->ArgsProduct({{64, 320}, {256, 512, 768}, {256, 8000}})
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();

}  // namespace
}  // namespace recur
