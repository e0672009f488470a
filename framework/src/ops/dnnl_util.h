// Private to the ops layer: the only place outside src/ops/*.cc that sees dnnl.hpp.
// One CPU engine per process, one stream per thread, conversions between recur tensors
// and oneDNN memories (no copies: a memory wraps the tensor's storage), and a cache of
// primitives keyed by op and shape so each primitive is created once.
#pragma once

#include <dnnl.hpp>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "recur/core/error.h"
#include "recur/core/tensor.h"

namespace recur::ops::detail {

dnnl::engine& engine();
dnnl::stream& stream();  // this thread's stream

dnnl::memory::data_type to_dnnl(DType t);
dnnl::memory::dims to_dims(const Shape& s);

// Plain row-major descriptor of a shape (rank 0 is treated as [1]).
dnnl::memory::desc plain_desc(const Shape& s, DType t);
// Image activations (conv, pooling, batch norm): a tensor stored [N, C, H, W], or
// [N, H, W, C] when `channels_last`, described by its logical [N, C, H, W] dims (what
// oneDNN's image primitives take) in the layout it is stored in.
Shape nchw_dims(const Shape& stored, bool channels_last);
Shape stored_dims(const Shape& nchw, bool channels_last);
dnnl::memory::desc image_desc(const Shape& nchw, bool channels_last, DType t = DType::f32);

// A memory over the tensor's own bytes (plain row-major layout unless `desc` says
// otherwise), for a primitive to read: reading does not change the tensor's version.
dnnl::memory as_memory(const Tensor& t);
dnnl::memory as_memory(const Tensor& t, const dnnl::memory::desc& desc);
// The same for a primitive to write (outputs, gradients): bumps the tensor's version.
// Every argument a primitive writes must come from here (or from a pointer taken with
// the tensor's mutable accessors), so that no write escapes the version.
dnnl::memory as_output(Tensor t);
dnnl::memory as_output(Tensor t, const dnnl::memory::desc& desc);
// Uninitialised memory of `desc` over a new pooled tensor (recur/core/block_pool.h), stored
// in `holder`, which must outlive every use of the memory. oneDNN's own allocation would
// map fresh pages, a page fault per 4 KiB, on every call.
dnnl::memory pooled_memory(const dnnl::memory::desc& desc, Tensor& holder);

// Attributes every cached primitive is created with: the caller provides the scratchpad.
// With oneDNN's default (library) scratchpad a primitive may only run on the thread that
// created it; the caches share primitives between threads (translation workers), so
// execute() passes each thread's own scratchpad instead.
dnnl::primitive_attr scratchpad_attr();

// Runs a primitive on this thread's stream and waits; wraps dnnl::error in KernelError.
// Adds this thread's scratchpad unless `args` has one.
void execute(const dnnl::primitive& p, const std::unordered_map<int, dnnl::memory>& args);

// Turns a dnnl::error thrown by `f` into a KernelError naming `what`.
template <class F>
auto guarded(const char* what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const dnnl::error& e) {
    throw KernelError(std::string(what) + ": oneDNN: " + e.what());
  }
}

// Entries each primitive cache keeps: 512, or the environment variable
// RECUR_PRIMITIVE_CACHE_SIZE (at least 1). Every primitive holds its JIT code; a job that
// sees many shapes fills each op's cache up to this bound.
std::size_t primitive_cache_capacity();

// Primitive cache: get(key, make) returns the value cached for `key`, creating it with
// `make()` on a miss. Keys are strings built by the op from its kind and shapes. The
// cache keeps the `capacity` most recently used entries: training sees a new shape for
// almost every batch, and an unbounded cache would hold every primitive (and its JIT
// code) ever made. Values are primitive handles, returned by copy so an eviction never
// invalidates one in use.
template <class V>
class PrimitiveCache {
 public:
  explicit PrimitiveCache(std::size_t capacity = primitive_cache_capacity()) : capacity_(capacity) {}

  template <class Make>
  V get(const std::string& key, Make&& make) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = index_.find(key);
    if (it != index_.end()) {
      entries_.splice(entries_.begin(), entries_, it->second);  // most recent first
      return it->second->second;
    }
    entries_.emplace_front(key, make());
    index_.emplace(key, entries_.begin());
    if (entries_.size() > capacity_) {
      index_.erase(entries_.back().first);
      entries_.pop_back();
    }
    return entries_.front().second;
  }

  std::size_t size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return entries_.size();
  }

 private:
  using Entry = std::pair<std::string, V>;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::list<Entry> entries_;
  std::unordered_map<std::string, typename std::list<Entry>::iterator> index_;
};

// "op|[2, 3]|[3, 4]|..." from a name and shapes/ints, for cache keys.
std::string cache_key(const char* op, std::initializer_list<Shape> shapes,
                      std::initializer_list<std::int64_t> ints = {});

}  // namespace recur::ops::detail
