// Which vector instruction set the small-layer kernels run on (small_rnn.h), and the calls
// into the kernels compiled for it (small_rnn_avx512.cc, small_rnn_avx2.cc).
#include "small_rnn.h"

#include <algorithm>
#include <atomic>

namespace recur::ops::detail {

namespace small {
void forward_avx512(const SmallRnnCall& call, int threads);
void backward_avx512(const SmallRnnBackward& call, int threads);
void forward_avx2(const SmallRnnCall& call, int threads);
void backward_avx2(const SmallRnnBackward& call, int threads);
}  // namespace small

namespace {

SmallRnnIsa cpu_best() {
  if (__builtin_cpu_supports("avx512f")) return SmallRnnIsa::avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return SmallRnnIsa::avx2;
  return SmallRnnIsa::none;
}

std::atomic<SmallRnnIsa> g_isa{cpu_best()};

}  // namespace

SmallRnnIsa small_rnn_isa() { return g_isa.load(std::memory_order_relaxed); }

SmallRnnIsa set_small_rnn_isa(SmallRnnIsa isa) {
  const SmallRnnIsa got = std::min(isa, cpu_best());
  g_isa.store(got, std::memory_order_relaxed);
  return got;
}

bool small_rnn_fits(RnnCell cell, std::int64_t input, std::int64_t hidden) {
  return small_rnn_isa() != SmallRnnIsa::none && cell != RnnCell::tanh && hidden > 0 &&
         hidden <= small::kMaxHidden && input > 0 && input <= small::kMaxInput;
}

void small_rnn(const SmallRnnCall& call, int threads) {
  if (small_rnn_isa() == SmallRnnIsa::avx512) return small::forward_avx512(call, threads);
  small::forward_avx2(call, threads);
}

void small_rnn_backward(const SmallRnnBackward& call, int threads) {
  if (small_rnn_isa() == SmallRnnIsa::avx512) return small::backward_avx512(call, threads);
  small::backward_avx2(call, threads);
}

}  // namespace recur::ops::detail
