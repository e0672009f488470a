// Private to src/ops: dropout's counter-based mask (dropout.cc), drawn and applied in one
// pass on AVX-512 (F and DQ), AVX2 or plain C++, the same bits on each. Element i is kept
// when its 32-bit half of SplitMix64(key + (i / 2 + 1) * golden) (the low half for even i)
// is at least p * 2^32: two elements per 64-bit hash, a function of (key, i) alone, so any
// range of elements is drawn on its own and backward recomputes the mask.
#pragma once

#include <cstdint>

namespace recur::ops::detail {

constexpr std::uint64_t kDropoutGolden = 0x9e3779b97f4a7c15ull;

struct DropoutMask {
  std::uint64_t key;
  std::uint32_t threshold;  // kept when the element's 32 bits are >= this
  float keep;               // the scale of kept elements, 1 / (1 - p); 0 at p = 1
};

// The mask of probability p in [0, 1] under a key (one draw of the caller's generator).
DropoutMask make_dropout_mask(float p, std::uint64_t key);

// out[i] = in[i] * (keep or 0) for i in [begin, end) of the masked tensor, begin even;
// out may be in. On the CPU's instruction set (small_rnn_isa(), AVX-512 also needing DQ).
void apply_dropout_mask(const DropoutMask& m, const float* in, float* out, std::int64_t begin, std::int64_t end);
// The same in plain C++ on any CPU.
void apply_dropout_mask_plain(const DropoutMask& m, const float* in, float* out, std::int64_t begin,
                              std::int64_t end);

namespace small {
void apply_dropout_mask_avx512(const DropoutMask& m, const float* in, float* out, std::int64_t begin,
                               std::int64_t end);
void apply_dropout_mask_avx2(const DropoutMask& m, const float* in, float* out, std::int64_t begin,
                             std::int64_t end);
}  // namespace small

}  // namespace recur::ops::detail
