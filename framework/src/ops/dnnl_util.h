// Private to the ops layer: the only place outside src/ops/*.cc that sees dnnl.hpp.
// One CPU engine per process, one stream per thread, conversions between recur tensors
// and oneDNN memories (no copies: a memory wraps the tensor's storage), and a cache of
// primitives keyed by op and shape so each primitive is created once.
#pragma once

#include <dnnl.hpp>
#include <functional>
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
// A memory over the tensor's own bytes (plain row-major layout).
dnnl::memory as_memory(const Tensor& t);
dnnl::memory as_memory(const Tensor& t, const dnnl::memory::desc& desc);

// Runs a primitive on this thread's stream and waits; wraps dnnl::error in KernelError.
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

// Primitive cache: get_or_create(key, make) returns the cached value for `key`, creating
// it once with `make()`. Keys are strings built by the op from its kind and shapes.
template <class V>
class PrimitiveCache {
 public:
  template <class Make>
  const V& get(const std::string& key, Make&& make) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = map_.find(key);
    if (it == map_.end()) it = map_.emplace(key, make()).first;
    return it->second;
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, V> map_;
};

// "op|[2, 3]|[3, 4]|..." from a name and shapes/ints, for cache keys.
std::string cache_key(const char* op, std::initializer_list<Shape> shapes,
                      std::initializer_list<std::int64_t> ints = {});

}  // namespace recur::ops::detail
