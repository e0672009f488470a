// Tensor: a shape, a dtype and contiguous (row-major) host storage that oneDNN can use
// as a memory handle without copies. A Tensor is a handle: copies share storage, like
// torch.Tensor. Views (reshape, leading-dimension narrowing) share storage too.
//
// Every storage has a version that changes whenever its bytes may have been written
// (below); caches of copies derived from a tensor (a weight reordered for a kernel) use
// it to notice in-place updates.
//
// Autograd bookkeeping lives here as plain data (requires_grad, grad, the node that
// produced the tensor); the tape and backward pass live in the ops layer
// (recur/ops/tape.h).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "recur/core/derived_cache.h"
#include "recur/core/dtype.h"
#include "recur/core/error.h"

namespace recur {

using Shape = std::vector<std::int64_t>;

// "[2, 3, 4]"
std::string shape_str(const Shape& shape);
// Product of the dimensions; throws ShapeError on a negative dimension or overflow.
std::int64_t shape_numel(const Shape& shape);

// A block of bytes, 64-byte aligned when recur allocated it. It can also wrap memory
// owned by someone else (a memory-mapped weight file), kept alive by `owner`.
//
// Version: conservatively, taking a writable pointer counts as a write. The mutable
// data() bumps the version, the const one does not; so do the Tensor accessors built on
// them (data<T>(), raw_data(), copy_from, ...). The contract that follows: write through
// a pointer right after taking it, and take a fresh one after handing the tensor to an
// op (an op may cache a copy of what it read, valid until the next bump). Writes that
// bypass recur (another process changing a wrapped file) are not seen.
class Storage {
 public:
  // Zero-filled unless zero_fill is false (then the bytes are whatever the block held).
  explicit Storage(std::size_t nbytes, bool zero_fill = true);
  Storage(void* data, std::size_t nbytes, std::shared_ptr<const void> owner);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  std::byte* data() {
    bump_version();
    return data_;
  }
  const std::byte* data() const { return data_; }
  std::size_t nbytes() const { return nbytes_; }
  // Whether recur allocated these bytes (not memory of another owner, e.g. a mapped file).
  bool owns_data() const { return owned_; }

  std::uint64_t version() const { return version_.load(std::memory_order_relaxed); }
  // Relaxed: whatever orders the writes between threads (they would race otherwise)
  // orders the bump that precedes them too.
  void bump_version() { version_.fetch_add(1, std::memory_order_relaxed); }

  // Copies derived from these bytes, tagged with the version they were made from.
  DerivedCache& derived() const { return derived_; }

 private:
  std::byte* data_ = nullptr;
  std::size_t nbytes_ = 0;
  std::size_t capacity_ = 0;  // of the block, when recur allocated it
  bool owned_ = false;
  std::shared_ptr<const void> owner_;
  std::atomic<std::uint64_t> version_{0};
  mutable DerivedCache derived_;
};

namespace autograd {
class Node;
}

class Tensor;

struct TensorImpl {
  Shape shape;
  DType dtype = DType::f32;
  std::shared_ptr<Storage> storage;
  std::size_t offset = 0;  // bytes into storage

  // Autograd.
  bool requires_grad = false;
  std::shared_ptr<TensorImpl> grad;             // accumulated gradient of a leaf
  std::shared_ptr<autograd::Node> grad_fn;      // node that produced this tensor
  std::size_t output_index = 0;                 // which output of grad_fn
};

class Tensor {
 public:
  Tensor() = default;  // undefined
  explicit Tensor(std::shared_ptr<TensorImpl> impl) : impl_(std::move(impl)) {}

  // Zero-filled.
  static Tensor zeros(const Shape& shape, DType dtype = DType::f32);
  // Uninitialised: for outputs a kernel overwrites in full (every element), where the
  // zero fill of a large tensor would be wasted work and first-touch page faults.
  static Tensor empty(const Shape& shape, DType dtype = DType::f32);
  static Tensor full(const Shape& shape, float value);
  static Tensor ones(const Shape& shape) { return full(shape, 1.0f); }
  static Tensor scalar(float value) { return full({}, value); }
  // Copies values; values.size() must equal the shape's element count.
  template <class T>
  static Tensor from(const Shape& shape, std::span<const T> values);
  static Tensor from(const Shape& shape, std::initializer_list<float> values) {
    return from<float>(shape, std::span<const float>(values.begin(), values.size()));
  }
  static Tensor from(const Shape& shape, const std::vector<float>& values) {
    return from<float>(shape, std::span<const float>(values));
  }
  // Wraps external bytes without copying; `owner` keeps them alive. Every wrap is a
  // storage of its own with its own version: writes to the bytes other than through
  // this tensor and its views (the owner's, another wrap's) are not seen by it.
  static Tensor wrap(const Shape& shape, DType dtype, void* data,
                     std::shared_ptr<const void> owner);

  bool defined() const { return impl_ != nullptr; }
  const Shape& shape() const { return impl().shape; }
  std::int64_t rank() const { return static_cast<std::int64_t>(impl().shape.size()); }
  // Size of dimension i; negative i counts from the end.
  std::int64_t dim(std::int64_t i) const;
  std::int64_t numel() const;
  std::size_t nbytes() const { return static_cast<std::size_t>(numel()) * dtype_size(dtype()); }
  DType dtype() const { return impl().dtype; }

  // Mutable access bumps the storage's version (see Storage); const access does not.
  void* raw_data() { return impl().storage->data() + impl().offset; }
  const void* raw_data() const {
    const Storage& s = *impl().storage;
    return s.data() + impl().offset;
  }
  // The version of the storage (shared with views): changes on every mutable access.
  std::uint64_t version() const { return impl().storage->version(); }
  // Typed access; throws ShapeError if T does not match the dtype.
  template <class T>
  T* data();
  template <class T>
  const T* data() const;
  // Element i of a flat f32 tensor (tests and debugging).
  float item(std::int64_t i = 0) const;
  std::vector<float> to_vector() const;  // f32, bf16 and f16 converted to float
  template <class T>
  std::vector<T> to_vector_of() const;

  // A tensor sharing storage with a new shape of the same element count. Not recorded
  // on the tape: use ops::reshape where gradients must flow.
  Tensor view(const Shape& shape) const;
  // Rows [start, start+length) of the leading dimension, sharing storage; not recorded.
  Tensor narrow0(std::int64_t start, std::int64_t length) const;
  // A deep copy with its own storage, detached from the tape.
  Tensor clone() const;
  // Copies values from `other` (same shape and dtype).
  void copy_from(const Tensor& other);
  // Same storage, no autograd history.
  Tensor detach() const;
  // Same storage and autograd identity (handles compare equal).
  bool same(const Tensor& other) const { return impl_ == other.impl_; }

  // Autograd.
  bool requires_grad() const { return defined() && impl_->requires_grad; }
  Tensor& set_requires_grad(bool value);
  // Accumulated gradient of a leaf (undefined before backward()).
  Tensor grad() const;
  void zero_grad();
  void set_grad(const Tensor& grad);
  const std::shared_ptr<autograd::Node>& grad_fn() const { return impl().grad_fn; }
  std::size_t output_index() const { return impl().output_index; }
  // Backpropagates from this scalar (implemented in the ops layer).
  void backward() const;

  const std::shared_ptr<TensorImpl>& impl_ptr() const { return impl_; }

 private:
  TensorImpl& impl() const;
  std::shared_ptr<TensorImpl> impl_;
};

// Implemented in tensor.cc for float, int32, int64, uint8.
extern template Tensor Tensor::from<float>(const Shape&, std::span<const float>);
extern template Tensor Tensor::from<std::int32_t>(const Shape&, std::span<const std::int32_t>);
extern template Tensor Tensor::from<std::int64_t>(const Shape&, std::span<const std::int64_t>);
extern template Tensor Tensor::from<std::uint8_t>(const Shape&, std::span<const std::uint8_t>);

namespace detail {
[[noreturn]] void throw_dtype_mismatch(DType have, DType want);
}

template <class T>
T* Tensor::data() {
  if (dtype() != dtype_of<T>) detail::throw_dtype_mismatch(dtype(), dtype_of<T>);
  return static_cast<T*>(raw_data());
}

template <class T>
const T* Tensor::data() const {
  if (dtype() != dtype_of<T>) detail::throw_dtype_mismatch(dtype(), dtype_of<T>);
  return static_cast<const T*>(raw_data());
}

template <class T>
std::vector<T> Tensor::to_vector_of() const {
  const T* p = data<T>();
  return std::vector<T>(p, p + numel());
}

}  // namespace recur
