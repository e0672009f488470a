// masked_fill. oneDNN 2.6 has no select primitive, and arithmetic blending
// (x * (1 - m) + v * m) turns -inf fills into NaN, so this is a plain broadcast loop.
#include "op_util.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/tape.h"

namespace recur::ops {

using namespace detail;

namespace {

// 0/1 per mask element, whatever the mask's dtype.
std::vector<std::uint8_t> mask_bits(const Tensor& mask) {
  std::vector<std::uint8_t> bits(static_cast<std::size_t>(mask.numel()));
  if (mask.dtype() == DType::u8) {
    const std::uint8_t* m = mask.data<std::uint8_t>();
    for (std::size_t i = 0; i < bits.size(); ++i) bits[i] = m[i] != 0;
  } else {
    const float* m = mask.data<float>();
    for (std::size_t i = 0; i < bits.size(); ++i) bits[i] = m[i] != 0.0f;
  }
  return bits;
}

// out = filled where the bit is set, else src.
Tensor select(const Tensor& src, const std::vector<std::uint8_t>& bits, const Shape& mask_shape,
              float filled) {
  Tensor out = Tensor::zeros(src.shape());
  const float* s = src.data<float>();
  float* o = out.data<float>();
  for_each_broadcast(src.shape(), mask_shape, [&](std::int64_t i, std::int64_t j) {
    o[i] = bits[static_cast<std::size_t>(j)] ? filled : s[i];
  });
  return out;
}

}  // namespace

Tensor masked_fill(const Tensor& x, const Tensor& mask, float value) {
  check_f32("masked_fill", "x", x);
  if (!mask.defined() || (mask.dtype() != DType::f32 && mask.dtype() != DType::u8)) {
    throw ShapeError("masked_fill: expected `mask` of dtype f32 or u8" +
                     (mask.defined() ? ", got " + std::string(dtype_name(mask.dtype())) : ""));
  }
  bool fits = mask.rank() <= x.rank();
  for (std::int64_t i = 1; fits && i <= mask.rank(); ++i) {
    fits = mask.dim(-i) == 1 || mask.dim(-i) == x.dim(-i);
  }
  if (!fits) {
    throw ShapeError("masked_fill: mask " + shape_str(mask.shape()) +
                     " does not broadcast over x " + shape_str(x.shape()) +
                     " (a [B,S] mask over [B,T,S] is passed as [B,1,S])");
  }
  auto bits = mask_bits(mask);
  Tensor y = select(x, bits, mask.shape(), value);
  autograd::record("masked_fill", {x, mask}, {&y},
                   [bits = std::move(bits),
                    ms = mask.shape()](const std::vector<Tensor>& g) -> std::vector<Tensor> {
                     return {select(g[0], bits, ms, 0.0f), Tensor()};
                   });
  return y;
}

}  // namespace recur::ops
