#include "layout_cache.h"

#include <atomic>
#include <string>

#include "dnnl_util.h"

namespace recur::ops::detail {

namespace {

std::atomic<std::uint64_t> g_reorders{0};

// What a cache entry holds: the copy and the layouts it was made between (checked on
// every hit, so two layouts that happen to print alike can never share a copy).
struct Reordered {
  dnnl::memory::desc plain, want;
  dnnl::memory copy;
};

void append_ints(std::string& s, const char* name, const dnnl_dim_t* v, int n) {
  s.append(name);
  for (int i = 0; i < n; ++i) s.append(",").append(std::to_string(v[i]));
}

// A readable summary of a descriptor for the cache key: dims, data type, format and
// its blocking. Entries are still verified with desc equality.
std::string describe(const dnnl::memory::desc& md) {
  const dnnl_memory_desc_t& d = md.data;
  std::string s = std::to_string(d.data_type) + ":" + std::to_string(d.format_kind);
  append_ints(s, " dims", d.dims, d.ndims);
  append_ints(s, " pad", d.padded_dims, d.ndims);
  s.append(" off").append(std::to_string(d.offset0));
  if (d.format_kind == dnnl_blocked) {
    const dnnl_blocking_desc_t& b = d.format_desc.blocking;
    append_ints(s, " strides", b.strides, d.ndims);
    append_ints(s, " blks", b.inner_blks, b.inner_nblks);
    append_ints(s, " idxs", b.inner_idxs, b.inner_nblks);
  } else if (d.format_kind == dnnl_format_kind_rnn_packed) {
    // oneDNN's packed RNN weights (its bf16 GRU and vanilla RNN take them) depend on the
    // batch rows (n): one copy per steady row count, not one entry overwritten by each.
    const dnnl_rnn_packed_desc_t& r = d.format_desc.rnn_packed_desc;
    s.append(" packed").append(std::to_string(r.format)).append(",").append(std::to_string(r.n_parts));
    s.append(" n").append(std::to_string(r.n)).append(" ldb").append(std::to_string(r.ldb));
    s.append(" size").append(std::to_string(r.size));
  }
  s.append(" extra").append(std::to_string(d.extra.flags));
  return s;
}

}  // namespace

dnnl::memory cached_layout(const Tensor& t, const dnnl::memory::desc& plain,
                           const dnnl::memory::desc& want) {
  if (want == plain) return as_memory(t, plain);
  const std::uint64_t version = t.version();
  DerivedCache& cache = t.impl_ptr()->storage->derived();
  std::string key = "layout@" + std::to_string(t.impl_ptr()->offset) + " " + describe(plain) +
                    " -> " + describe(want);
  if (auto hit = std::static_pointer_cast<const Reordered>(cache.find(key, version))) {
    if (hit->plain == plain && hit->want == want) return hit->copy;
  }
  auto made = std::make_shared<Reordered>();
  made->plain = plain;
  made->want = want;
  guarded("weight reorder", [&] {
    made->copy = dnnl::memory(want, engine());
    dnnl::memory from = as_memory(t, plain);
    execute(dnnl::reorder(from, made->copy), {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, made->copy}});
  });
  g_reorders.fetch_add(1, std::memory_order_relaxed);
  cache.put(std::move(key), version, made);
  return made->copy;
}

std::uint64_t cached_layout_reorders() { return g_reorders.load(std::memory_order_relaxed); }

}  // namespace recur::ops::detail
