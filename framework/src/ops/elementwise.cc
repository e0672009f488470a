#include "recur/ops/elementwise.h"

#include "dnnl_util.h"

namespace recur::ops {

using namespace detail;

void add_inplace(Tensor& dst, const Tensor& src) {
  if (dst.shape() != src.shape() || dst.dtype() != DType::f32 || src.dtype() != DType::f32) {
    throw ShapeError("add_inplace: " + shape_str(src.shape()) + " into " + shape_str(dst.shape()));
  }
  if (dst.numel() == 0) return;
  static PrimitiveCache<dnnl::binary> cache;
  Shape flat{dst.numel()};
  const auto& prim = cache.get(cache_key("add_inplace", {flat}), [&] {
    auto d = plain_desc(flat, DType::f32);
    return dnnl::binary(dnnl::binary::primitive_desc(
        dnnl::binary::desc(dnnl::algorithm::binary_add, d, d, d), engine()));
  });
  auto dm = as_memory(dst.view(flat));
  execute(prim, {{DNNL_ARG_SRC_0, dm}, {DNNL_ARG_SRC_1, as_memory(src.view(flat))},
                 {DNNL_ARG_DST, dm}});
}

}  // namespace recur::ops
