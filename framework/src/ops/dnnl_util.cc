#include "dnnl_util.h"

#include <cmath>
#include <cstdlib>
#include <utility>

#include "recur/core/block_pool.h"
#include "recur/ops/threads.h"

namespace recur::ops::detail {

dnnl::engine& engine() {
  static dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}

dnnl::stream& stream() {
  thread_local dnnl::stream s(engine());
  return s;
}

dnnl::memory::data_type to_dnnl(DType t) {
  using dt = dnnl::memory::data_type;
  switch (t) {
    case DType::f32: return dt::f32;
    case DType::f16: return dt::f16;
    case DType::bf16: return dt::bf16;
    case DType::i32: return dt::s32;
    case DType::u8: return dt::u8;
    case DType::i64: break;
  }
  throw KernelError("oneDNN has no " + std::string(dtype_name(t)) + " memory");
}

dnnl::memory::dims to_dims(const Shape& s) {
  if (s.empty()) return {1};
  return dnnl::memory::dims(s.begin(), s.end());
}

dnnl::memory::desc plain_desc(const Shape& s, DType t) {
  dnnl::memory::dims dims = to_dims(s);
  dnnl::memory::dims strides(dims.size());
  dnnl::memory::dim stride = 1;
  for (std::size_t i = dims.size(); i-- > 0;) {
    strides[i] = stride;
    stride *= dims[i] == 0 ? 1 : dims[i];
  }
  return dnnl::memory::desc(dims, to_dnnl(t), strides);
}

Shape nchw_dims(const Shape& stored, bool channels_last) {
  if (!channels_last || stored.size() != 4) return stored;
  return {stored[0], stored[3], stored[1], stored[2]};
}

Shape stored_dims(const Shape& nchw, bool channels_last) {
  if (!channels_last || nchw.size() != 4) return nchw;
  return {nchw[0], nchw[2], nchw[3], nchw[1]};
}

dnnl::memory::desc image_desc(const Shape& nchw, bool channels_last, DType t) {
  if (!channels_last) return plain_desc(nchw, t);
  return dnnl::memory::desc(to_dims(nchw), to_dnnl(t), dnnl::memory::format_tag::nhwc);
}

dnnl::memory as_memory(const Tensor& t) { return as_memory(t, plain_desc(t.shape(), t.dtype())); }

dnnl::memory as_memory(const Tensor& t, const dnnl::memory::desc& desc) {
  // oneDNN takes a void* for every argument; primitives only read their inputs.
  return dnnl::memory(desc, engine(), const_cast<void*>(t.raw_data()));
}

std::size_t primitive_cache_capacity() {
  static const std::size_t capacity = [] {
    std::size_t n = 512;
    if (const char* v = std::getenv("RECUR_PRIMITIVE_CACHE_SIZE")) {
      char* end = nullptr;
      const unsigned long long parsed = std::strtoull(v, &end, 10);
      if (end != v && *end == '\0' && parsed > 0) n = static_cast<std::size_t>(parsed);
    }
    return n;
  }();
  return capacity;
}

dnnl::primitive_attr scratchpad_attr() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

namespace {

// The primitive's scratchpad descriptor (zero size if it needs none, or if it was made
// with the library scratchpad).
dnnl::memory::desc scratchpad_desc(const dnnl::primitive& p) {
  const dnnl_memory_desc_t* md =
      dnnl_primitive_desc_query_md(p.get_primitive_desc(), dnnl_query_scratchpad_md, 0);
  return md ? dnnl::memory::desc(*md) : dnnl::memory::desc();
}

// This thread's scratchpad memory of `desc`'s size, grown on demand.
dnnl::memory thread_scratchpad(const dnnl::memory::desc& desc) {
  struct Scratch {
    Block block;
    ~Scratch() { give_block(block); }
  };
  thread_local Scratch scratch;
  const std::size_t need = desc.get_size();
  if (scratch.block.capacity < need) {
    give_block(std::exchange(scratch.block, Block{}));
    scratch.block = take_block(need);
  }
  return dnnl::memory(desc, engine(), scratch.block.data);
}

}  // namespace

dnnl::memory as_output(Tensor t) { return as_output(t, plain_desc(t.shape(), t.dtype())); }

dnnl::memory as_output(Tensor t, const dnnl::memory::desc& desc) {
  return dnnl::memory(desc, engine(), t.raw_data());
}

dnnl::memory pooled_memory(const dnnl::memory::desc& desc, Tensor& holder) {
  holder = Tensor::empty({static_cast<std::int64_t>((desc.get_size() + 3) / 4)});
  return dnnl::memory(desc, engine(), holder.raw_data());
}

namespace {

using Args = std::unordered_map<int, dnnl::memory>;

double elements(const dnnl::memory& m) {
  double n = 1;
  for (auto d : m.get_desc().dims()) n *= static_cast<double>(d);
  return n;
}

// Whether a call does too little work to pay for a second compute thread: each oneDNN
// call forks and joins an OpenMP team, a few microseconds on 2 cores, more than a small
// product or a small elementwise pass takes (PyTorch runs such loops serially below a
// grain of 32,768 elements for the same reason). A product of M x K by K x N, whose
// operands hold M K, K N and M N elements, does sqrt(their product) = M K N
// multiply-adds; serial below 2 M MACs (4 MFLOP, where oneDNN's RNN kernels reach parity
// between 1 and 2 threads, rnn_kernels.cc). Elementwise and data-movement calls: serial
// below 65,536 elements in their largest argument. Convolutions and RNNs decide
// elsewhere (their work is not bounded by their arguments' sizes).
bool small_call(const dnnl::primitive& p, const Args& args) {
  using kind = dnnl::primitive::kind;
  const kind k = p.get_kind();
  if (k == kind::matmul || k == kind::inner_product) {
    const auto src = args.find(DNNL_ARG_SRC), wei = args.find(DNNL_ARG_WEIGHTS), dst = args.find(DNNL_ARG_DST);
    if (src == args.end() || wei == args.end() || dst == args.end()) return false;
    return std::sqrt(elements(src->second) * elements(wei->second) * elements(dst->second)) < 2e6;
  }
  switch (k) {
    case kind::eltwise:
    case kind::binary:
    case kind::reorder:
    case kind::sum:
    case kind::concat:
    case kind::softmax:
    case kind::logsoftmax:
    case kind::reduction:
      break;
    default:
      return false;
  }
  double largest = 0;
  for (const auto& [arg, m] : args) {
    if (arg != DNNL_ARG_SCRATCHPAD) largest = std::max(largest, elements(m));
  }
  return largest < 65536;
}

}  // namespace

void execute(const dnnl::primitive& p, const std::unordered_map<int, dnnl::memory>& args) {
  ScopedNumThreads threads(num_threads() > 1 && small_call(p, args) ? 1 : num_threads());
  try {
    if (!args.count(DNNL_ARG_SCRATCHPAD)) {
      dnnl::memory::desc pad = scratchpad_desc(p);
      if (pad.get_size() > 0) {
        auto with_pad = args;
        with_pad.emplace(DNNL_ARG_SCRATCHPAD, thread_scratchpad(pad));
        p.execute(stream(), with_pad);
        stream().wait();
        return;
      }
    }
    p.execute(stream(), args);
    stream().wait();
  } catch (const dnnl::error& e) {
    throw KernelError(std::string("oneDNN primitive failed: ") + e.what());
  }
}

std::string cache_key(const char* op, std::initializer_list<Shape> shapes,
                      std::initializer_list<std::int64_t> ints) {
  std::string key(op);
  for (const Shape& s : shapes) key.append("|").append(shape_str(s));
  for (std::int64_t i : ints) key.append("|").append(std::to_string(i));
  return key;
}

}  // namespace recur::ops::detail
