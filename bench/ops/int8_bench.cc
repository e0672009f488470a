// Does int8 pay on this CPU (issue #17)? oneDNN 2.6's own primitives, no recur code: the
// shipped EN->FR model's encoder LSTM (T 30, batch 64, 256 -> 256, inference) and its
// output projection at decoder-step rows (16 / 80 x 256 -> 8,000), each in f32, bf16 and
// u8s8 (int8 data and weights, f32 accumulation and output; scales as a calibrated model
// would set them). The decoder's cell, the linear-before-reset GRU PyTorch's nn.GRU
// computes, has no int8 kernel in oneDNN 2.6: BM_LbrGruInt8 reports that (as an error)
// wherever it holds. Run: build/bin/ops_int8_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <cstring>
#include <dnnl.hpp>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

using md = dnnl::memory::desc;
using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

enum Kind { kF32, kBf16, kInt8 };
const char* kNames[] = {"f32", "bf16", "u8s8"};
dt data_type(Kind k) { return k == kF32 ? dt::f32 : k == kBf16 ? dt::bf16 : dt::u8; }
dt weight_type(Kind k) { return k == kF32 ? dt::f32 : k == kBf16 ? dt::bf16 : dt::s8; }

dnnl::engine& engine() {
  static dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}

// Runs `prim` with `made` and freshly allocated memories for `descs` until the state stops.
void run(benchmark::State& state, const dnnl::primitive& prim, const std::unordered_map<int, md>& descs,
         double flops, const std::string& impl, std::unordered_map<int, dnnl::memory> made = {}) {
  dnnl::stream s(engine());
  std::unordered_map<int, dnnl::memory> args = std::move(made);
  for (const auto& [arg, desc] : descs) args.emplace(arg, dnnl::memory(desc, engine()));
  prim.execute(s, args);
  s.wait();
  for (auto _ : state) {
    prim.execute(s, args);
    s.wait();
  }
  state.SetLabel(impl);
  state.counters["GFLOP/s"] = benchmark::Counter(1e-9 * flops, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_LstmInference(benchmark::State& state) {
  try {
    const auto kind = static_cast<Kind>(state.range(0));
    const long T = 30, N = 64, C = 256, H = 256;
    const dt d = data_type(kind), w = weight_type(kind);
    md src({T, N, C}, d, tag::tnc), iter({1, 1, N, H}, d, tag::ldnc), iter_c({1, 1, N, H}, dt::f32, tag::ldnc);
    md bias({1, 1, 4, H}, dt::f32, tag::ldgo), dst({T, N, H}, d, tag::tnc);
    md wl({1, 1, C, 4, H}, w, tag::any), wi({1, 1, H, 4, H}, w, tag::any);
    dnnl::primitive_attr attr;
    if (kind == kInt8) {
      attr.set_rnn_data_qparams(64.f, 128.f);  // u8 = 64 x + 128: |x| < 2 (hidden states lie in [-1, 1])
      attr.set_rnn_weights_qparams(0, {64.f});
    }
    dnnl::lstm_forward::primitive_desc pd(
        dnnl::lstm_forward::desc(dnnl::prop_kind::forward_inference, dnnl::rnn_direction::unidirectional_left2right,
                                 src, iter, iter_c, wl, wi, bias, dst, iter, iter_c),
        attr, engine());
    // The weights by a reorder from zeros, as a model's are: a packed layout (oneDNN's AVX2
    // RNNs) carries a header the reorder writes; an uninitialised one divides by zero.
    auto weights = [&](long in, const md& want) {
      md plain({1, 1, in, 4, H}, dt::f32, tag::ldigo);
      dnnl::memory from(plain, engine()), to(want, engine());
      std::memset(from.get_data_handle(), 0, plain.get_size());
      dnnl::stream s(engine());
      dnnl::reorder(dnnl::reorder::primitive_desc(engine(), plain, engine(), want, attr)).execute(s, from, to);
      s.wait();
      return to;
    };
    run(state, dnnl::lstm_forward(pd),
        {{DNNL_ARG_SRC_LAYER, src}, {DNNL_ARG_SRC_ITER, iter}, {DNNL_ARG_SRC_ITER_C, iter_c}, {DNNL_ARG_BIAS, bias},
         {DNNL_ARG_DST_LAYER, dst}, {DNNL_ARG_DST_ITER, iter}, {DNNL_ARG_DST_ITER_C, iter_c},
         {DNNL_ARG_SCRATCHPAD, pd.scratchpad_desc()}},
        2.0 * T * N * 4 * H * (C + H), std::string(kNames[kind]) + " " + pd.impl_info_str(),
        {{DNNL_ARG_WEIGHTS_LAYER, weights(C, pd.weights_layer_desc())},
         {DNNL_ARG_WEIGHTS_ITER, weights(H, pd.weights_iter_desc())}});
  } catch (const dnnl::error& e) {  // e.g. bf16 on a CPU without AVX-512
    state.SkipWithError((std::string("no ") + kNames[state.range(0)] + " kernel here: " + e.what()).c_str());
  }
}

void BM_OutputProjection(benchmark::State& state) {
  try {
    const auto kind = static_cast<Kind>(state.range(0));
    const long rows = state.range(1), in = 256, out = 8000;
    md a({rows, in}, data_type(kind), tag::ab), b({in, out}, weight_type(kind), tag::any);
    md c({rows, out}, dt::f32, tag::ab);
    dnnl::primitive_attr attr;
    if (kind == kInt8) attr.set_output_scales(2, std::vector<float>(out, 1e-4f));  // per output column
    dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a, b, c), attr, engine());
    run(state, dnnl::matmul(pd),
        {{DNNL_ARG_SRC, a}, {DNNL_ARG_WEIGHTS, pd.weights_desc()}, {DNNL_ARG_DST, c},
         {DNNL_ARG_SCRATCHPAD, pd.scratchpad_desc()}},
        2.0 * rows * in * out, std::string(kNames[kind]) + " " + pd.impl_info_str());
  } catch (const dnnl::error& e) {  // e.g. bf16 on a CPU without AVX-512
    state.SkipWithError((std::string("no ") + kNames[state.range(0)] + " kernel here: " + e.what()).c_str());
  }
}

void BM_LbrGruInt8(benchmark::State& state) {
  const long T = 1, N = 16, C = 256, H = 256;
  md src({T, N, C}, dt::u8, tag::tnc), iter({1, 1, N, H}, dt::u8, tag::ldnc), dst({T, N, H}, dt::u8, tag::tnc);
  md wl({1, 1, C, 3, H}, dt::s8, tag::any), wi({1, 1, H, 3, H}, dt::s8, tag::any), bias({1, 1, 4, H}, dt::f32, tag::ldgo);
  dnnl::primitive_attr attr;
  attr.set_rnn_data_qparams(64.f, 128.f);
  attr.set_rnn_weights_qparams(0, {64.f});
  try {
    dnnl::lbr_gru_forward::primitive_desc pd(
        dnnl::lbr_gru_forward::desc(dnnl::prop_kind::forward_inference, dnnl::rnn_direction::unidirectional_left2right,
                                    src, iter, wl, wi, bias, dst, iter),
        attr, engine());
    run(state, dnnl::lbr_gru_forward(pd),
        {{DNNL_ARG_SRC_LAYER, src}, {DNNL_ARG_SRC_ITER, iter}, {DNNL_ARG_WEIGHTS_LAYER, pd.weights_layer_desc()},
         {DNNL_ARG_WEIGHTS_ITER, pd.weights_iter_desc()}, {DNNL_ARG_BIAS, bias}, {DNNL_ARG_DST_LAYER, dst},
         {DNNL_ARG_DST_ITER, iter}, {DNNL_ARG_SCRATCHPAD, pd.scratchpad_desc()}},
        2.0 * T * N * 3 * H * (C + H), pd.impl_info_str());
  } catch (const dnnl::error& e) {
    state.SkipWithError((std::string("no int8 linear-before-reset GRU in this oneDNN: ") + e.what()).c_str());
  }
}

BENCHMARK(BM_LstmInference)->ArgName("kind")->DenseRange(kF32, kInt8)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_OutputProjection)
    ->ArgNames({"kind", "rows"})
    ->ArgsProduct({{kF32, kBf16, kInt8}, {16, 80}})
    ->Unit(benchmark::kMicrosecond)
    ->UseRealTime();
BENCHMARK(BM_LbrGruInt8)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace
