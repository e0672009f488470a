// Row gathers by integer ids: embedding and index_select, forward (gather) and backward
// (scatter-add). oneDNN 2.6 has no gather primitive, so these are plain loops over rows.
#include "recur/ops/embedding.h"

#include <cstring>

#include "op_util.h"
#include "recur/ops/shape.h"
#include "recur/ops/tape.h"

namespace recur::ops {

using namespace detail;

namespace {

// Throws ShapeError naming the first id outside [0, rows).
void check_ids(const char* op, const Tensor& ids, std::int64_t rows) {
  const std::int64_t* p = ids.data<std::int64_t>();
  for (std::int64_t i = 0; i < ids.numel(); ++i) {
    if (p[i] < 0 || p[i] >= rows) {
      throw ShapeError(std::string(op) + ": id " + std::to_string(p[i]) + " at position " +
                       std::to_string(i) + " is out of range [0, " + std::to_string(rows) + ")");
    }
  }
}

// out[i] = table[ids[i]], rows of `width` floats.
void gather_rows(const Tensor& table, const Tensor& ids, std::int64_t width, Tensor& out) {
  const float* t = table.data<float>();
  const std::int64_t* id = ids.data<std::int64_t>();
  float* o = out.data<float>();
  std::int64_t n = ids.numel();
  auto bytes = static_cast<std::size_t>(width) * sizeof(float);
#pragma omp parallel for if (n * width > 65536)
  for (std::int64_t i = 0; i < n; ++i) std::memcpy(o + i * width, t + id[i] * width, bytes);
}

// grad_table[ids[i]] += grad[i] for every id except `skip`. Serial: ids repeat.
Tensor scatter_add_rows(const Tensor& grad, const Tensor& ids, const Shape& table_shape,
                        std::int64_t skip) {
  Tensor out = Tensor::zeros(table_shape);
  std::int64_t width =
      table_shape.size() > 1 ? shape_numel(Shape(table_shape.begin() + 1, table_shape.end())) : 1;
  const float* g = grad.data<float>();
  const std::int64_t* id = ids.data<std::int64_t>();
  float* o = out.data<float>();
  for (std::int64_t i = 0; i < ids.numel(); ++i) {
    if (id[i] == skip) continue;
    float* row = o + id[i] * width;
    const float* src = g + i * width;
    for (std::int64_t k = 0; k < width; ++k) row[k] += src[k];
  }
  return out;
}

}  // namespace

Tensor embedding(const Tensor& ids, const Tensor& table, std::int64_t padding_id) {
  check_dtype("embedding", "ids", ids, DType::i64);
  check_f32("embedding", "table", table);
  check_rank("embedding", "table", table, 2);
  std::int64_t rows = table.dim(0), width = table.dim(1);
  if (padding_id < -1 || padding_id >= rows) {
    throw ShapeError("embedding: padding id " + std::to_string(padding_id) + " out of range [0, " +
                     std::to_string(rows) + ") (-1 for none)");
  }
  check_ids("embedding", ids, rows);
  Shape out = ids.shape();
  out.push_back(width);
  Tensor y = Tensor::zeros(out);
  gather_rows(table, ids, width, y);
  if (!autograd::needs_grad({&table})) return y;
  // The ids are copied: the caller may refill its id buffer before backward runs.
  autograd::record("embedding", {ids, table}, {&y},
                   [ids = ids.clone(), ts = table.shape(),
                    padding_id](const std::vector<Tensor>& g) -> std::vector<Tensor> {
                     return {Tensor(), scatter_add_rows(g[0], ids, ts, padding_id)};
                   });
  return y;
}

Tensor index_select(const Tensor& x, const Tensor& index) {
  check_f32("index_select", "x", x);
  check_dtype("index_select", "index", index, DType::i64);
  check_rank("index_select", "index", index, 1);
  if (x.rank() < 1) throw ShapeError("index_select: expected x of rank >= 1, got a scalar");
  check_ids("index_select", index, x.dim(0));
  Shape out = x.shape();
  out[0] = index.dim(0);
  Tensor y = Tensor::zeros(out);
  std::int64_t width = x.dim(0) > 0 ? x.numel() / x.dim(0) : 0;
  gather_rows(x, index, width, y);
  if (!autograd::needs_grad({&x})) return y;
  autograd::record(
      "index_select", {x, index}, {&y},
      [index = index.clone(), xs = x.shape()](const std::vector<Tensor>& g) -> std::vector<Tensor> {
        return {scatter_add_rows(g[0], index, xs, -1), Tensor()};
      });
  return y;
}

}  // namespace recur::ops
