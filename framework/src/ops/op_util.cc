#include "op_util.h"

#include <bit>
#include <string>

namespace recur::ops::detail {

namespace {
std::string describe(const Tensor& t) {
  return std::string(dtype_name(t.dtype())) + " " + shape_str(t.shape());
}
}  // namespace

void check_dtype(const char* op, const char* arg, const Tensor& t, DType dtype) {
  if (!t.defined()) {
    throw ShapeError(std::string(op) + ": `" + arg + "` is an undefined tensor");
  }
  if (t.dtype() != dtype) {
    throw ShapeError(std::string(op) + ": expected `" + arg + "` of dtype " +
                     std::string(dtype_name(dtype)) + ", got " + describe(t));
  }
}

void check_f32(const char* op, const char* arg, const Tensor& t) {
  check_dtype(op, arg, t, DType::f32);
}

void check_rank(const char* op, const char* arg, const Tensor& t, std::int64_t rank) {
  if (t.rank() != rank) {
    throw ShapeError(std::string(op) + ": expected `" + arg + "` of rank " + std::to_string(rank) +
                     ", got shape " + shape_str(t.shape()));
  }
}

std::int64_t normalize_axis(const char* op, std::int64_t axis, std::int64_t rank) {
  std::int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) {
    throw ShapeError(std::string(op) + ": axis " + std::to_string(axis) +
                     " out of range for rank " + std::to_string(rank));
  }
  return a;
}

Shape pad_leading(const Shape& s, std::size_t rank) {
  if (s.size() >= rank) return s;
  Shape out(rank - s.size(), 1);
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

Shape broadcast_shape(const char* op, const Shape& a, const Shape& b) {
  std::size_t rank = std::max(a.size(), b.size());
  Shape pa = pad_leading(a, rank), pb = pad_leading(b, rank), out(rank);
  for (std::size_t i = 0; i < rank; ++i) {
    if (pa[i] == pb[i] || pb[i] == 1) {
      out[i] = pa[i];
    } else if (pa[i] == 1) {
      out[i] = pb[i];
    } else {
      throw ShapeError(std::string(op) + ": shapes " + shape_str(a) + " and " + shape_str(b) +
                       " do not broadcast (dimension " + std::to_string(i) + ")");
    }
  }
  return out;
}

std::vector<std::int64_t> plain_strides(const Shape& s) {
  std::vector<std::int64_t> strides(s.size());
  std::int64_t stride = 1;
  for (std::size_t i = s.size(); i-- > 0;) {
    strides[i] = stride;
    stride *= s[i] == 0 ? 1 : s[i];
  }
  return strides;
}

AxisSplit split_at(const Shape& s, std::int64_t axis) {
  AxisSplit r;
  for (std::int64_t i = 0; i < static_cast<std::int64_t>(s.size()); ++i) {
    auto d = s[static_cast<std::size_t>(i)];
    if (i < axis)
      r.outer *= d;
    else if (i == axis)
      r.size = d;
    else
      r.inner *= d;
  }
  return r;
}

std::int64_t float_key(float f) { return std::bit_cast<std::uint32_t>(f); }

}  // namespace recur::ops::detail
