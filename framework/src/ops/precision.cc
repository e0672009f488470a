#include "recur/ops/precision.h"

#include <atomic>

#include "dnnl_util.h"
#include "recur/core/error.h"
#include "recur/core/logging.h"

namespace recur::ops {

namespace {

std::atomic<Precision> g_inference{Precision::f32};
std::atomic<Precision> g_training{Precision::f32};

// The ISAs of dnnl_types.h are bit sets: each includes the bits of those it extends.
bool has_isa(dnnl::cpu_isa have, dnnl::cpu_isa want) {
  const auto h = static_cast<unsigned>(have), w = static_cast<unsigned>(want);
  return (h & w) == w;
}

}  // namespace

std::string_view precision_name(Precision p) {
  switch (p) {
    case Precision::bf16:
      return "bf16";
    case Precision::int8:
      return "int8";
    case Precision::f32:
      break;
  }
  return "f32";
}

std::optional<Precision> precision_of(std::string_view name) {
  for (Precision p : {Precision::f32, Precision::bf16, Precision::int8}) {
    if (name == precision_name(p)) return p;
  }
  return std::nullopt;
}

bool cpu_has_bf16() {
  return has_isa(dnnl::get_effective_cpu_isa(), dnnl::cpu_isa::avx512_core_bf16);
}

bool cpu_has_int8_dot() {
  const dnnl::cpu_isa isa = dnnl::get_effective_cpu_isa();
  return has_isa(isa, dnnl::cpu_isa::avx512_core_vnni) || has_isa(isa, dnnl::cpu_isa::avx2_vnni);
}

std::string cpu_isa_name() {
  const dnnl::cpu_isa isa = dnnl::get_effective_cpu_isa();
  using I = dnnl::cpu_isa;
  // Most capable first.
  for (auto [set, name] : {std::pair{I::avx512_core_amx, "avx512_core_amx"},
                           std::pair{I::avx512_core_bf16, "avx512_core_bf16"},
                           std::pair{I::avx512_core_vnni, "avx512_core_vnni"},
                           std::pair{I::avx512_core, "avx512_core"},
                           std::pair{I::avx2_vnni, "avx2_vnni"}, std::pair{I::avx2, "avx2"},
                           std::pair{I::avx, "avx"}, std::pair{I::sse41, "sse41"}}) {
    if (has_isa(isa, set)) return name;
  }
  return "generic";
}

namespace {

// p, or f32 with a warning when the CPU lacks p's instructions: native bf16 for bf16,
// an 8-bit dot product (VNNI) for int8. Without VNNI oneDNN 2.6 multiplies u8 x s8
// pairs into saturating 16-bit sums (wrong products) and its int8 LSTM lays weights out
// per shape (seen on an AVX2 AMD Zen 3).
Precision supported(Precision p, const char* what) {
  if (p == Precision::bf16 && !cpu_has_bf16()) {
    log().warn("{} precision bf16 needs a CPU with AVX512-BF16 or AMX; this one has {}: running f32", what,
               cpu_isa_name());
    return Precision::f32;
  }
  if (p == Precision::int8 && !cpu_has_int8_dot()) {
    log().warn("{} precision int8 needs a CPU with AVX512-VNNI or AVX-VNNI; this one has {}: running f32", what,
               cpu_isa_name());
    return Precision::f32;
  }
  return p;
}

}  // namespace

Precision set_inference_precision(Precision p) {
  p = supported(p, "inference");
  g_inference.store(p, std::memory_order_relaxed);
  return p;
}

Precision inference_precision() { return g_inference.load(std::memory_order_relaxed); }

Precision set_training_precision(Precision p) {
  if (p == Precision::int8) throw Error("training precision int8: int8 is for inference only (f32 or bf16)");
  p = supported(p, "training");
  g_training.store(p, std::memory_order_relaxed);
  return p;
}

Precision training_precision() { return g_training.load(std::memory_order_relaxed); }

Precision pass_precision(bool records_gradients) {
  return records_gradients ? training_precision() : inference_precision();
}

}  // namespace recur::ops
