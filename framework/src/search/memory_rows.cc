#include "recur/search/memory_rows.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "recur/core/error.h"
#include "recur/ops/shape.h"

namespace recur::search {

namespace {

Tensor ids(const std::vector<std::int64_t>& v) {
  return Tensor::from<std::int64_t>({static_cast<std::int64_t>(v.size())}, v);
}

// Rows `index` of x [N, ...]: the op for f32 (the memory), a plain copy otherwise (ids).
Tensor gather(const Tensor& x, const Tensor& index) {
  if (x.dtype() == DType::f32) return ops::index_select(x, index);
  Shape shape = x.shape();
  shape[0] = index.dim(0);
  Tensor y = Tensor::zeros(shape, x.dtype());
  const std::size_t row = x.dim(0) > 0 ? x.nbytes() / static_cast<std::size_t>(x.dim(0)) : 0;
  const auto* from = static_cast<const unsigned char*>(x.raw_data());
  auto* to = static_cast<unsigned char*>(y.raw_data());
  const std::int64_t* i = index.data<std::int64_t>();
  for (std::int64_t r = 0; r < index.dim(0); ++r) {
    std::memcpy(to + static_cast<std::size_t>(r) * row, from + static_cast<std::size_t>(i[r]) * row, row);
  }
  return y;
}

// Rows `index` of each tensor [N, ...], a tensor listed twice gathered once.
std::vector<Tensor> rows_of(const std::vector<Tensor>& tensors, const std::vector<std::int64_t>& index) {
  const Tensor idx = ids(index);
  std::vector<Tensor> out;
  out.reserve(tensors.size());
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    std::size_t same = 0;
    while (same < i && !tensors[same].same(tensors[i])) ++same;
    out.push_back(same < i ? out[same] : gather(tensors[i], idx));
  }
  return out;
}

void check_rank(const char* what, const Tensor& x) {
  if (!x.defined() || x.rank() < 2) {
    throw ShapeError(std::string("memory rows: ") + what + " must be [rows, positions, ...], got " +
                     (x.defined() ? shape_str(x.shape()) : std::string("undefined")));
  }
}

}  // namespace

MemoryRows::MemoryRows(std::int64_t sources, const Tensor& source_ids) : slots_(sources) {
  if (sources < 0) throw ShapeError("memory rows: negative number of sources");
  slot_.resize(static_cast<std::size_t>(sources));
  for (std::size_t i = 0; i < slot_.size(); ++i) slot_[i] = static_cast<std::int64_t>(i);
  if (source_ids.defined()) source_ids_ = static_cast<std::ptrdiff_t>(hold(source_ids));
}

std::size_t MemoryRows::hold(Tensor per_slot) {
  if (!per_slot.defined() || per_slot.rank() < 1 || per_slot.dim(0) != slots_) {
    throw ShapeError("memory rows: a held tensor must have one entry per slot (" +
                     std::to_string(slots_) + "), got " +
                     (per_slot.defined() ? shape_str(per_slot.shape()) : std::string("undefined")));
  }
  for (std::size_t h = 0; h < held_.size(); ++h) {
    if (held_[h].same(per_slot)) return h;
  }
  held_.push_back(std::move(per_slot));
  if (layout_ == Layout::row_copies) row_copies_ = rows_of(held_, slot_);
  return held_.size() - 1;
}

const Tensor& MemoryRows::held(std::size_t handle) const { return held_.at(handle); }

const Tensor& MemoryRows::source_ids() const {
  static const Tensor none;
  return source_ids_ < 0 ? none : held_[static_cast<std::size_t>(source_ids_)];
}

const Tensor& MemoryRows::grid_memory(std::size_t handle) const {
  return layout_ == Layout::row_copies ? row_copies_.at(handle) : held_.at(handle);
}

void MemoryRows::reorder(const std::vector<std::int64_t>& index) {
  std::vector<std::int64_t> next(index.size());
  for (std::size_t i = 0; i < index.size(); ++i) {
    if (index[i] < 0 || index[i] >= rows()) {
      throw ShapeError("reorder index " + std::to_string(index[i]) + " out of range for " +
                       std::to_string(rows()) + " rows");
    }
    next[i] = slot_[static_cast<std::size_t>(index[i])];
  }
  slot_ = std::move(next);
  drop_unused_slots();
  lay_out();
}

void MemoryRows::drop_unused_slots() {
  std::vector<std::int64_t> renumber(static_cast<std::size_t>(slots_), -1);
  std::vector<std::int64_t> used;
  for (std::int64_t s : slot_) {
    auto& r = renumber[static_cast<std::size_t>(s)];
    if (r < 0) {
      r = static_cast<std::int64_t>(used.size());
      used.push_back(s);
    }
  }
  if (2 * static_cast<std::int64_t>(used.size()) > slots_) return;
  // Keep the used slots in their old order, so rows sorted by slot stay sorted.
  std::sort(used.begin(), used.end());
  for (std::size_t i = 0; i < used.size(); ++i) renumber[static_cast<std::size_t>(used[i])] = static_cast<std::int64_t>(i);
  if (!used.empty()) held_ = rows_of(held_, used);  // no rows left: keep the tensors, unused
  slots_ = static_cast<std::int64_t>(used.size());
  for (std::int64_t& s : slot_) s = renumber[static_cast<std::size_t>(s)];
}

void MemoryRows::lay_out() {
  const std::int64_t n = rows();
  bool identity = n == slots_;
  for (std::int64_t i = 0; identity && i < n; ++i) identity = slot_[static_cast<std::size_t>(i)] == i;
  cell_ = Tensor();
  row_of_cell_ = Tensor();
  row_copies_.clear();
  g_ = 1;
  if (identity) {
    layout_ = Layout::identity;
    return;
  }
  if (!std::is_sorted(slot_.begin(), slot_.end())) {
    layout_ = Layout::row_copies;
    row_copies_ = rows_of(held_, slot_);
    return;
  }
  layout_ = Layout::grid;
  // Grid cell of each row: slot * G + its rank among the rows of that slot.
  std::vector<std::int64_t> cell(static_cast<std::size_t>(n));
  for (std::int64_t i = 0, rank = 0; i < n; ++i) {
    const auto u = static_cast<std::size_t>(i);
    rank = i > 0 && slot_[u] == slot_[u - 1] ? rank + 1 : 0;
    g_ = std::max(g_, rank + 1);
    cell[u] = rank;  // completed below, once G is known
  }
  std::vector<std::int64_t> row_of_cell(static_cast<std::size_t>(slots_ * g_), 0);
  for (std::int64_t i = 0; i < n; ++i) {
    const auto u = static_cast<std::size_t>(i);
    cell[u] += slot_[u] * g_;
    row_of_cell[static_cast<std::size_t>(cell[u])] = i;
  }
  cell_ = ids(cell);
  row_of_cell_ = ids(row_of_cell);
}

Tensor MemoryRows::to_grid(const Tensor& per_row) const {
  check_rank("queries", per_row);
  if (per_row.dim(0) != rows()) {
    throw ShapeError("memory rows: queries for " + std::to_string(per_row.dim(0)) + " rows, " +
                     "expected " + std::to_string(rows()));
  }
  if (layout_ != Layout::grid) return per_row;
  // [N, T, rest...] -> rows [N, T*rest] -> cells [X*G, T*rest] -> [X, G*T, rest...]
  const std::int64_t n = rows(), t = per_row.dim(1);
  Tensor cells = ops::index_select(ops::reshape(per_row, {n, per_row.numel() / n}), row_of_cell_);
  Shape grid = per_row.shape();
  grid[0] = slots_;
  grid[1] = g_ * t;
  return ops::reshape(cells, grid);
}

Tensor MemoryRows::from_grid(const Tensor& grid) const {
  check_rank("grid results", grid);
  if (layout_ != Layout::grid) return grid;
  if (grid.dim(0) != slots_ || grid.dim(1) % g_ != 0) {
    throw ShapeError("memory rows: grid results " + shape_str(grid.shape()) + " do not fit a grid of " +
                     std::to_string(slots_) + " x " + std::to_string(g_));
  }
  // [X, G*T, rest...] -> [X*G, T, rest...] -> rows [N, T, rest...]
  Shape per_cell = grid.shape();
  per_cell[0] = slots_ * g_;
  per_cell[1] = grid.dim(1) / g_;
  Tensor cells = ops::reshape(grid, per_cell);
  return ops::index_select(cells, cell_);
}

}  // namespace recur::search
