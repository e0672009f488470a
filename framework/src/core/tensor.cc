#include "recur/core/tensor.h"

#include "recur/core/block_pool.h"

#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>

namespace recur {

std::string shape_str(const Shape& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

std::int64_t shape_numel(const Shape& shape) {
  std::int64_t n = 1;
  for (std::int64_t d : shape) {
    if (d < 0) throw ShapeError("negative dimension in shape " + shape_str(shape));
    if (d != 0 && n > std::numeric_limits<std::int64_t>::max() / d) {
      throw ShapeError("element count of shape " + shape_str(shape) + " overflows");
    }
    n *= d;
  }
  return n;
}

Storage::Storage(std::size_t nbytes, bool zero_fill) : nbytes_(nbytes), owned_(true) {
  Block block = take_block(nbytes);
  data_ = static_cast<std::byte*>(block.data);
  capacity_ = block.capacity;
  // A freshly mapped block is zero already: writing zeros would only fault its pages in
  // twice (a model's parameters are zero-initialised, then loaded).
  if (zero_fill && !block.zeroed) std::memset(data_, 0, nbytes);
}

Storage::Storage(void* data, std::size_t nbytes, std::shared_ptr<const void> owner)
    : data_(static_cast<std::byte*>(data)), nbytes_(nbytes), owner_(std::move(owner)) {}

Storage::~Storage() {
  if (owned_) give_block({data_, capacity_});
}

namespace {

std::shared_ptr<TensorImpl> allocate(const Shape& shape, DType dtype, bool zero_fill) {
  auto impl = std::make_shared<TensorImpl>();
  impl->shape = shape;
  impl->dtype = dtype;
  std::int64_t n = shape_numel(shape);
  if (static_cast<std::uint64_t>(n) > std::numeric_limits<std::size_t>::max() / dtype_size(dtype)) {
    throw ShapeError("tensor of shape " + shape_str(shape) + " is too large");
  }
  impl->storage =
      std::make_shared<Storage>(static_cast<std::size_t>(n) * dtype_size(dtype), zero_fill);
  return impl;
}

}  // namespace

Tensor Tensor::zeros(const Shape& shape, DType dtype) { return Tensor(allocate(shape, dtype, true)); }

Tensor Tensor::empty(const Shape& shape, DType dtype) { return Tensor(allocate(shape, dtype, false)); }

Tensor Tensor::full(const Shape& shape, float value) {
  Tensor t = empty(shape, DType::f32);
  float* p = t.data<float>();
  for (std::int64_t i = 0, n = t.numel(); i < n; ++i) p[i] = value;
  return t;
}

template <class T>
Tensor Tensor::from(const Shape& shape, std::span<const T> values) {
  Tensor t = zeros(shape, dtype_of<T>);
  if (static_cast<std::int64_t>(values.size()) != t.numel()) {
    throw ShapeError("Tensor::from: " + std::to_string(values.size()) +
                     " values for shape " + shape_str(shape));
  }
  if (!values.empty()) std::memcpy(t.raw_data(), values.data(), values.size_bytes());
  return t;
}

template Tensor Tensor::from<float>(const Shape&, std::span<const float>);
template Tensor Tensor::from<std::int32_t>(const Shape&, std::span<const std::int32_t>);
template Tensor Tensor::from<std::int64_t>(const Shape&, std::span<const std::int64_t>);
template Tensor Tensor::from<std::uint8_t>(const Shape&, std::span<const std::uint8_t>);

Tensor Tensor::wrap(const Shape& shape, DType dtype, void* data,
                    std::shared_ptr<const void> owner) {
  auto impl = std::make_shared<TensorImpl>();
  impl->shape = shape;
  impl->dtype = dtype;
  std::size_t nbytes = static_cast<std::size_t>(shape_numel(shape)) * dtype_size(dtype);
  impl->storage = std::make_shared<Storage>(data, nbytes, std::move(owner));
  return Tensor(std::move(impl));
}

namespace detail {
void throw_dtype_mismatch(DType have, DType want) {
  throw ShapeError("tensor of dtype " + std::string(dtype_name(have)) + " accessed as " +
                   std::string(dtype_name(want)));
}
}  // namespace detail

TensorImpl& Tensor::impl() const {
  if (!impl_) throw ShapeError("use of an undefined tensor");
  return *impl_;
}

std::int64_t Tensor::dim(std::int64_t i) const {
  std::int64_t r = rank();
  std::int64_t j = i < 0 ? i + r : i;
  if (j < 0 || j >= r) {
    throw ShapeError("dimension " + std::to_string(i) + " out of range for shape " +
                     shape_str(shape()));
  }
  return impl().shape[static_cast<std::size_t>(j)];
}

std::int64_t Tensor::numel() const { return shape_numel(impl().shape); }

float Tensor::item(std::int64_t i) const {
  if (i < 0 || i >= numel()) throw ShapeError("item index out of range");
  switch (dtype()) {
    case DType::f32: return data<float>()[i];
    case DType::bf16: return bf16_to_float(static_cast<const std::uint16_t*>(raw_data())[i]);
    case DType::f16: return f16_to_float(static_cast<const std::uint16_t*>(raw_data())[i]);
    case DType::i32: return static_cast<float>(data<std::int32_t>()[i]);
    case DType::i64: return static_cast<float>(data<std::int64_t>()[i]);
    case DType::u8: return static_cast<float>(data<std::uint8_t>()[i]);
  }
  return 0;
}

std::vector<float> Tensor::to_vector() const {
  std::int64_t n = numel();
  std::vector<float> out(static_cast<std::size_t>(n));
  if (dtype() == DType::f32) {
    if (n) std::memcpy(out.data(), raw_data(), nbytes());
  } else {
    for (std::int64_t i = 0; i < n; ++i) out[static_cast<std::size_t>(i)] = item(i);
  }
  return out;
}

Tensor Tensor::view(const Shape& shape) const {
  if (shape_numel(shape) != numel()) {
    throw ShapeError("cannot view " + shape_str(this->shape()) + " as " + shape_str(shape));
  }
  auto v = std::make_shared<TensorImpl>();
  v->shape = shape;
  v->dtype = dtype();
  v->storage = impl().storage;
  v->offset = impl().offset;
  return Tensor(std::move(v));
}

Tensor Tensor::narrow0(std::int64_t start, std::int64_t length) const {
  if (rank() == 0 || start < 0 || length < 0 || start + length > dim(0)) {
    throw ShapeError("narrow0(" + std::to_string(start) + ", " + std::to_string(length) +
                     ") out of range for shape " + shape_str(shape()));
  }
  Shape s = shape();
  std::int64_t row = numel() / (s[0] == 0 ? 1 : s[0]);
  s[0] = length;
  auto v = std::make_shared<TensorImpl>();
  v->shape = s;
  v->dtype = dtype();
  v->storage = impl().storage;
  v->offset = impl().offset + static_cast<std::size_t>(start * row) * dtype_size(dtype());
  return Tensor(std::move(v));
}

Tensor Tensor::clone() const {
  Tensor t = empty(shape(), dtype());
  if (nbytes()) std::memcpy(t.raw_data(), raw_data(), nbytes());
  return t;
}

void Tensor::copy_from(const Tensor& other) {
  if (other.shape() != shape() || other.dtype() != dtype()) {
    throw ShapeError("copy_from: " + shape_str(other.shape()) + " " +
                     std::string(dtype_name(other.dtype())) + " into " + shape_str(shape()) +
                     " " + std::string(dtype_name(dtype())));
  }
  if (nbytes()) std::memmove(raw_data(), other.raw_data(), nbytes());
}

Tensor Tensor::detach() const {
  auto v = std::make_shared<TensorImpl>();
  v->shape = shape();
  v->dtype = dtype();
  v->storage = impl().storage;
  v->offset = impl().offset;
  return Tensor(std::move(v));
}

Tensor& Tensor::set_requires_grad(bool value) {
  impl().requires_grad = value;
  return *this;
}

Tensor Tensor::grad() const { return Tensor(impl().grad); }

void Tensor::zero_grad() { impl().grad.reset(); }

void Tensor::set_grad(const Tensor& grad) { impl().grad = grad.impl_ptr(); }

}  // namespace recur
