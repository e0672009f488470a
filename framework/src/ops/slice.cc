// Slices and joins along an axis: narrow, split, concat, stack. Slices are oneDNN
// reorders between a strided window of the whole (the start folded into the pointer,
// so one primitive serves every start) and a plain tensor; joins use oneDNN concat.
#include <numeric>

#include "dnnl_util.h"
#include "kernels.h"
#include "op_util.h"
#include "recur/ops/shape.h"
#include "recur/ops/tape.h"

namespace recur::ops {

using namespace detail;

namespace {

// The window `part_shape` of a plain `whole_shape` tensor: part's dims, whole's strides.
dnnl::memory::desc window_desc(const Shape& whole_shape, const Shape& part_shape) {
  return dnnl::memory::desc(to_dims(part_shape), dnnl::memory::data_type::f32,
                            plain_strides(whole_shape));
}

std::size_t window_offset(const Shape& whole_shape, std::int64_t axis, std::int64_t start) {
  return static_cast<std::size_t>(start * split_at(whole_shape, axis).inner) * sizeof(float);
}

}  // namespace

namespace detail {

Tensor run_narrow(const Tensor& x, std::int64_t axis, std::int64_t start, std::int64_t length) {
  Shape out = x.shape();
  out[static_cast<std::size_t>(axis)] = length;
  Tensor y = Tensor::zeros(out);
  if (y.numel() == 0) return y;
  const auto* src =
      static_cast<const std::byte*>(x.raw_data()) + window_offset(x.shape(), axis, start);
  run_reorder(src, window_desc(x.shape(), out), y.raw_data(), plain_desc(out, DType::f32),
              cache_key("narrow", {x.shape(), out}));
  return y;
}

void run_narrow_into(const Tensor& part, Tensor& whole, std::int64_t axis, std::int64_t start) {
  if (part.numel() == 0) return;
  auto* dst = static_cast<std::byte*>(whole.raw_data()) + window_offset(whole.shape(), axis, start);
  run_reorder(part.raw_data(), plain_desc(part.shape(), DType::f32), dst,
              window_desc(whole.shape(), part.shape()),
              cache_key("narrow_into", {whole.shape(), part.shape()}));
}

Tensor run_concat(const std::vector<Tensor>& xs, std::int64_t axis) {
  Shape out = xs.at(0).shape();
  auto a = static_cast<std::size_t>(axis);
  out[a] = 0;
  std::vector<Tensor> parts;  // oneDNN refuses empty sources
  for (const Tensor& x : xs) {
    out[a] += x.dim(axis);
    if (x.numel() > 0) parts.push_back(x);
  }
  Tensor y = Tensor::zeros(out);
  if (parts.empty()) return y;
  std::string key = cache_key("concat", {out}, {axis});
  for (const Tensor& p : parts) key.append("|").append(shape_str(p.shape()));
  static PrimitiveCache<dnnl::concat> cache;
  const auto& prim = cache.get(key, [&] {
    return guarded("concat", [&] {
      std::vector<dnnl::memory::desc> mds;
      for (const Tensor& p : parts) mds.push_back(plain_desc(p.shape(), DType::f32));
      return dnnl::concat(dnnl::concat::primitive_desc(plain_desc(out, DType::f32),
                                                       static_cast<int>(axis), mds, engine(), scratchpad_attr()));
    });
  });
  std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_DST, as_output(y)}};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    args.emplace(DNNL_ARG_MULTIPLE_SRC + static_cast<int>(i), as_memory(parts[i]));
  }
  execute(prim, args);
  return y;
}

}  // namespace detail

Tensor narrow(const Tensor& x, std::int64_t axis, std::int64_t start, std::int64_t length) {
  check_f32("narrow", "x", x);
  std::int64_t a = normalize_axis("narrow", axis, x.rank());
  if (start < 0 || length < 0 || start + length > x.dim(a)) {
    throw ShapeError("narrow: [" + std::to_string(start) + ", " + std::to_string(start + length) +
                     ") out of range for axis " + std::to_string(axis) + " of " +
                     shape_str(x.shape()));
  }
  Tensor y = run_narrow(x, a, start, length);
  autograd::record(
      "narrow", {x}, {&y},
      [shape = x.shape(), a, start](const std::vector<Tensor>& g) -> std::vector<Tensor> {
        Tensor dx = Tensor::zeros(shape);
        run_narrow_into(g[0], dx, a, start);
        return {dx};
      });
  return y;
}

std::vector<Tensor> split(const Tensor& x, const std::vector<std::int64_t>& sizes,
                          std::int64_t axis) {
  check_f32("split", "x", x);
  std::int64_t a = normalize_axis("split", axis, x.rank());
  std::int64_t total = 0;
  for (std::int64_t s : sizes) {
    if (s < 0) throw ShapeError("split: negative size " + std::to_string(s));
    total += s;
  }
  if (total != x.dim(a)) {
    throw ShapeError("split: sizes add up to " + std::to_string(total) + ", expected " +
                     std::to_string(x.dim(a)) + " (axis " + std::to_string(axis) + " of " +
                     shape_str(x.shape()) + ")");
  }
  std::vector<Tensor> ys;
  std::vector<Tensor*> outs;
  ys.reserve(sizes.size());
  for (std::int64_t start = 0; std::int64_t s : sizes) {
    ys.push_back(run_narrow(x, a, start, s));
    start += s;
  }
  for (Tensor& y : ys) outs.push_back(&y);
  autograd::record("split", {x}, outs, [a](const std::vector<Tensor>& g) -> std::vector<Tensor> {
    return {run_concat(g, a)};
  });
  return ys;
}

Tensor concat(const std::vector<Tensor>& xs, std::int64_t axis) {
  if (xs.empty()) throw ShapeError("concat: no tensors to join");
  for (const Tensor& x : xs) check_f32("concat", "xs", x);
  const Shape& first = xs[0].shape();
  std::int64_t a = normalize_axis("concat", axis, static_cast<std::int64_t>(first.size()));
  for (std::size_t i = 1; i < xs.size(); ++i) {
    Shape s = xs[i].shape();
    bool fits = s.size() == first.size();
    for (std::size_t d = 0; fits && d < s.size(); ++d) {
      fits = static_cast<std::int64_t>(d) == a || s[d] == first[d];
    }
    if (!fits) {
      throw ShapeError("concat: tensor " + std::to_string(i) + " is " + shape_str(s) +
                       ", expected " + shape_str(first) + " except along axis " +
                       std::to_string(axis));
    }
  }
  Tensor y = run_concat(xs, a);
  if (!autograd::needs_grad(xs)) return y;
  std::vector<std::int64_t> sizes;
  std::vector<bool> wanted;
  for (const Tensor& x : xs) {
    sizes.push_back(x.dim(a));
    wanted.push_back(x.requires_grad());
  }
  autograd::record("concat", xs, {&y}, [a, sizes, wanted](const std::vector<Tensor>& g) {
    std::vector<Tensor> dxs(sizes.size());
    for (std::size_t i = 0, start = 0; i < sizes.size(); start += sizes[i++]) {
      if (wanted[i]) dxs[i] = run_narrow(g[0], a, static_cast<std::int64_t>(start), sizes[i]);
    }
    return dxs;
  });
  return y;
}

Tensor stack(const std::vector<Tensor>& xs, std::int64_t axis) {
  if (xs.empty()) throw ShapeError("stack: no tensors to stack");
  std::vector<Tensor> parts;
  for (const Tensor& x : xs) {
    if (!x.defined() || x.shape() != xs[0].shape()) {
      throw ShapeError("stack: expected tensors of shape " + shape_str(xs[0].shape()) +
                       (x.defined() ? ", got " + shape_str(x.shape()) : ", got an undefined one"));
    }
    parts.push_back(unsqueeze(x, axis));
  }
  return concat(parts, axis < 0 ? axis + xs[0].rank() + 1 : axis);
}

}  // namespace recur::ops
