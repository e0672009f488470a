#include "memory_slots.h"

#include <algorithm>
#include <string>
#include <utility>

#include "recur/ops/shape.h"

namespace recur::decoders {

namespace {

Tensor ids(const std::vector<std::int64_t>& v) {
  return Tensor::from<std::int64_t>({static_cast<std::int64_t>(v.size())}, v);
}

// Rows `index` of x [N, ...].
Tensor rows_of(const Tensor& x, const std::vector<std::int64_t>& index) {
  return ops::index_select(x, ids(index));
}

// x [A, B, ...] as [A*B, ...] and back.
Tensor flat2(const Tensor& x) {
  Shape s(x.shape().begin() + 1, x.shape().end());
  s[0] *= x.dim(0);
  return ops::reshape(x, s);
}

}  // namespace

MemorySlots::MemorySlots(Tensor states, Tensor keys, Tensor padding)
    : states_(std::move(states)), keys_(std::move(keys)), padding_(std::move(padding)) {
  slot_.resize(static_cast<std::size_t>(states_.dim(0)));
  for (std::size_t i = 0; i < slot_.size(); ++i) slot_[i] = static_cast<std::int64_t>(i);
}

void MemorySlots::reorder(const std::vector<std::int64_t>& index) {
  std::vector<std::int64_t> next(index.size());
  for (std::size_t i = 0; i < index.size(); ++i) {
    if (index[i] < 0 || index[i] >= rows()) {
      throw ShapeError("attention decoder: reorder index " + std::to_string(index[i]) +
                       " out of range for " + std::to_string(rows()) + " rows");
    }
    next[i] = slot_[static_cast<std::size_t>(index[i])];
  }
  slot_ = std::move(next);
  drop_unused_slots();
}

void MemorySlots::drop_unused_slots() {
  std::vector<std::int64_t> renumber(static_cast<std::size_t>(slots()), -1);
  std::vector<std::int64_t> used;
  for (std::int64_t s : slot_) {
    auto& r = renumber[static_cast<std::size_t>(s)];
    if (r < 0) {
      r = static_cast<std::int64_t>(used.size());
      used.push_back(s);
    }
  }
  if (2 * static_cast<std::int64_t>(used.size()) > slots()) return;
  // Keep the used slots in their old order, so rows sorted by slot stay sorted.
  std::sort(used.begin(), used.end());
  for (std::size_t i = 0; i < used.size(); ++i) renumber[static_cast<std::size_t>(used[i])] = static_cast<std::int64_t>(i);
  const bool shared_keys = keys_.same(states_);
  states_ = rows_of(states_, used);
  keys_ = shared_keys ? states_ : rows_of(keys_, used);
  padding_ = rows_of(padding_, used);
  for (std::int64_t& s : slot_) s = renumber[static_cast<std::size_t>(s)];
}

AttentionOutput MemorySlots::attend(const Attention& attention, const Tensor& h) const {
  const std::int64_t n = rows(), b = slots();
  bool identity = n == b;
  for (std::int64_t i = 0; identity && i < n; ++i) identity = slot_[static_cast<std::size_t>(i)] == i;
  if (identity) return attention.forward(h, keys_, states_, padding_);

  if (!std::is_sorted(slot_.begin(), slot_.end())) {
    // Rows of one slot are not together (no search in recur does this): give each row
    // its own copy of the memory.
    const bool shared_keys = keys_.same(states_);
    Tensor states = rows_of(states_, slot_);
    return attention.forward(h, shared_keys ? states : rows_of(keys_, slot_), states,
                             rows_of(padding_, slot_));
  }

  // Grid cell of each row: slot * G + its rank among the rows of that slot.
  std::int64_t g = 0;
  std::vector<std::int64_t> cell(static_cast<std::size_t>(n));
  for (std::int64_t i = 0, rank = 0; i < n; ++i) {
    const auto u = static_cast<std::size_t>(i);
    rank = i > 0 && slot_[u] == slot_[u - 1] ? rank + 1 : 0;
    g = std::max(g, rank + 1);
    cell[u] = rank;  // completed below, once G is known
  }
  std::vector<std::int64_t> source(static_cast<std::size_t>(b * g), 0);  // row of each cell
  for (std::int64_t i = 0; i < n; ++i) {
    const auto u = static_cast<std::size_t>(i);
    cell[u] += slot_[u] * g;
    source[static_cast<std::size_t>(cell[u])] = i;
  }
  Tensor queries = ops::reshape(rows_of(ops::reshape(h, {n, h.dim(2)}), source), {b, g, h.dim(2)});
  AttentionOutput grid = attention.forward(queries, keys_, states_, padding_);
  AttentionOutput out;
  out.context = ops::unsqueeze(rows_of(flat2(grid.context), cell), 1);
  out.weights = ops::unsqueeze(rows_of(flat2(grid.weights), cell), 1);
  return out;
}

}  // namespace recur::decoders
