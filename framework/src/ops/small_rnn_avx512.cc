// The small-layer kernels (small_rnn.h) compiled for AVX-512F. Every header with code of
// its own comes before the target pragma: only this file's kernels take the target, so
// no inline function shared with other files is compiled for it here (the linker could
// keep that copy for all of them, and a CPU without AVX-512 would run it).
#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>

#include "small_rnn.h"

#pragma GCC push_options
#pragma GCC target("avx512f")

#include "small_rnn_avx512.h"
#include "small_rnn_backward.h"
#include "small_rnn_forward.h"

namespace recur::ops::detail::small {

void forward_avx512(const SmallRnnCall& call, int threads) { forward<Avx512>(call, threads); }
void backward_avx512(const SmallRnnBackward& call, int threads) { backward<Avx512>(call, threads); }

}  // namespace recur::ops::detail::small

#pragma GCC pop_options
