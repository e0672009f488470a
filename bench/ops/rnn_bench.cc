// LSTM / GRU forward and backward at translation shapes (batch 64, 30 steps, input 256,
// hidden 256 / 512), one decoder step (steps 1, batch 64 / 320, hidden 256), next to a raw oneDNN f32 matmul of the same input projection and a
// 1024^3 matmul that shows how close to the machine's f32 peak the recurrent ops get.
#include <benchmark/benchmark.h>

#include <algorithm>

#include <dnnl.hpp>
#include <ctime>
#include <random>
#include <vector>

#include "bench_util.h"
#include "recur/ops/rnn.h"
#include "recur/ops/tape.h"

namespace recur {
namespace {

constexpr std::int64_t kBatch = 64, kSteps = 30, kInput = 256;

using bench::random;

struct Layer {
  ops::RnnCell cell;
  std::int64_t hidden, batch, steps;
  Tensor input;
  std::vector<ops::RnnParams> params;

  std::int64_t features;

  Layer(ops::RnnCell c, std::int64_t h, std::int64_t b = kBatch, std::int64_t t = kSteps,
        std::int64_t in = kInput)
      : cell(c), hidden(h), batch(b), steps(t), features(in) {
    std::mt19937 rng(1);
    const std::int64_t gh = ops::rnn_gates(cell) * h;
    input = random({batch, steps, features}, rng);
    params.push_back({random({features, gh}, rng), random({h, gh}, rng),
                      random({ops::rnn_bias_gates(cell) * h}, rng)});
  }
  // Multiply-adds of the gate GEMMs x 2, one direction, one layer.
  double forward_flops() const {
    return 2.0 * double(steps * batch * ops::rnn_gates(cell) * hidden * (features + hidden));
  }
  ops::RnnResult run(const std::vector<std::int64_t>& lengths = {}) const {
    return ops::rnn(cell, input, lengths, params, false, Tensor(), Tensor());
  }
};

// sum(output): a scalar to backpropagate from.
Tensor sum_output(const Tensor& out) {
  Tensor loss = Tensor::scalar(0.0f);
  autograd::record("sum", {out}, {&loss}, [shape = out.shape()](const std::vector<Tensor>& g) {
    return std::vector<Tensor>{Tensor::full(shape, g[0].item())};
  });
  return loss;
}

// CPU seconds of all threads of the process: on a shared machine, flops per core-second
// show the kernels' efficiency even when wall time is inflated by other load.
double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

// GFLOP/s (wall time) and GFLOP per core-second (cpu_seconds of the timed parts).
void set_flops(benchmark::State& state, double flops, double cpu_seconds) {
  state.counters["GFLOP/s"] =
      benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["GFLOP/core-s"] =
      flops * 1e-9 * double(state.iterations()) / std::max(cpu_seconds, 1e-9);
}

// Runs f once per benchmark iteration; returns the CPU seconds spent.
template <class F>
double timed_loop(benchmark::State& state, F&& f) {
  double start = process_cpu_seconds();
  for (auto _ : state) f();
  return process_cpu_seconds() - start;
}

ops::RnnCell cell_of(const benchmark::State& state) {
  return state.range(0) == 0 ? ops::RnnCell::lstm : ops::RnnCell::gru;
}

void BM_RnnForwardInference(benchmark::State& state) {
  Layer layer(cell_of(state), state.range(1));
  autograd::NoGradGuard no_grad;
  layer.run();  // primitives are created once per shape: keep that out of the timing
  double cpu = timed_loop(state, [&] { benchmark::DoNotOptimize(layer.run().output.raw_data()); });
  set_flops(state, layer.forward_flops(), cpu);
}

// One decoder step: steps 1, `batch` rows (beam x sentences), hidden 256, the same
// weights every call (as a decoder sees them).
void BM_RnnDecodeStep(benchmark::State& state) {
  Layer layer(cell_of(state), 256, state.range(1), 1);
  autograd::NoGradGuard no_grad;
  layer.run();
  double cpu = timed_loop(state, [&] { benchmark::DoNotOptimize(layer.run().output.raw_data()); });
  set_flops(state, layer.forward_flops(), cpu);
}

// A forecaster's encoder (models/forecast-co2): 36 steps of 3 features, hidden 32 / 64,
// a chunk of `batch` windows.
void BM_RnnForecaster(benchmark::State& state) {
  Layer layer(cell_of(state), state.range(1), state.range(2), 36, 3);
  autograd::NoGradGuard no_grad;
  layer.run();
  double cpu = timed_loop(state, [&] { benchmark::DoNotOptimize(layer.run().h_n.raw_data()); });
  set_flops(state, layer.forward_flops(), cpu);
  state.counters["ns/row-step"] = benchmark::Counter(
      double(layer.batch * layer.steps), benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// Lengths spread over [15, 30] (sorted batches are narrower): the cost of segments.
void BM_RnnForwardMixedLengths(benchmark::State& state) {
  Layer layer(cell_of(state), state.range(1));
  std::vector<std::int64_t> lengths(kBatch);
  double steps = 0;
  for (std::int64_t b = 0; b < kBatch; ++b) steps += double(lengths[b] = 15 + b % 16);
  autograd::NoGradGuard no_grad;
  layer.run(lengths);
  double cpu = timed_loop(state, [&] {
    benchmark::DoNotOptimize(layer.run(lengths).output.raw_data());
  });
  set_flops(state, layer.forward_flops() * steps / double(kBatch * kSteps), cpu);
}

void BM_RnnForwardTraining(benchmark::State& state) {
  Layer layer(cell_of(state), state.range(1));
  layer.params[0].w_ih.set_requires_grad(true);
  layer.run();
  double cpu = timed_loop(state, [&] { benchmark::DoNotOptimize(layer.run().output.raw_data()); });
  set_flops(state, layer.forward_flops(), cpu);
}

// Backward only (data and weight gradients: twice the forward's multiply-adds).
void BM_RnnBackward(benchmark::State& state) {
  Layer layer(cell_of(state), state.range(1));
  for (auto& p : layer.params) {
    for (Tensor* t : {&p.w_ih, &p.w_hh, &p.bias}) t->set_requires_grad(true);
  }
  layer.input.set_requires_grad(true);
  sum_output(layer.run().output).backward();
  double cpu = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Tensor loss = sum_output(layer.run().output);
    state.ResumeTiming();
    double start = process_cpu_seconds();
    loss.backward();
    cpu += process_cpu_seconds() - start;
  }
  set_flops(state, 2 * layer.forward_flops(), cpu);
}

void rnn_args(benchmark::internal::Benchmark* b) {
  b->ArgNames({"gru", "hidden"})->Unit(benchmark::kMillisecond)->UseRealTime();
  for (int cell : {0, 1}) {
    for (int hidden : {256, 512}) b->Args({cell, hidden});
  }
}

BENCHMARK(BM_RnnForwardInference)->Apply(rnn_args);
BENCHMARK(BM_RnnDecodeStep)
    ->ArgNames({"gru", "batch"})
    ->ArgsProduct({{0, 1}, {64, 320}})
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();
BENCHMARK(BM_RnnForecaster)
    ->ArgNames({"gru", "hidden", "batch"})
    ->ArgsProduct({{0, 1}, {32, 64}, {32, 256, 1024}})
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();
BENCHMARK(BM_RnnForwardMixedLengths)->Apply(rnn_args);
BENCHMARK(BM_RnnForwardTraining)->Apply(rnn_args);
BENCHMARK(BM_RnnBackward)->Apply(rnn_args);

// Raw oneDNN f32 matmul [m, k] x [k, n].
void BM_DnnlMatmul(benchmark::State& state) {
  using dt = dnnl::memory::data_type;
  using tag = dnnl::memory::format_tag;
  const dnnl::memory::dim m = state.range(0), k = state.range(1), n = state.range(2);
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream strm(eng);
  dnnl::memory::desc a({m, k}, dt::f32, tag::ab), b({k, n}, dt::f32, tag::ab),
      c({m, n}, dt::f32, tag::ab);
  dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a, b, c), eng);
  dnnl::matmul mm(pd);
  dnnl::memory am(a, eng), bm(b, eng), cm(c, eng);
  for (dnnl::memory* mem : {&am, &bm}) {
    auto* p = static_cast<float*>(mem->get_data_handle());
    for (std::size_t i = 0; i < mem->get_desc().get_size() / sizeof(float); ++i) p[i] = 0.01f;
  }
  mm.execute(strm, {{DNNL_ARG_SRC, am}, {DNNL_ARG_WEIGHTS, bm}, {DNNL_ARG_DST, cm}});
  strm.wait();
  double cpu = timed_loop(state, [&] {
    mm.execute(strm, {{DNNL_ARG_SRC, am}, {DNNL_ARG_WEIGHTS, bm}, {DNNL_ARG_DST, cm}});
    strm.wait();
  });
  set_flops(state, 2.0 * double(m) * double(k) * double(n), cpu);
}

// The LSTM input projection at hidden 512 (all steps at once) and the peak shape.
BENCHMARK(BM_DnnlMatmul)
    ->ArgNames({"m", "k", "n"})
    ->Args({kBatch * kSteps, kInput, 4 * 512})
    ->Args({1024, 1024, 1024})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace recur
