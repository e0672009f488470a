// Which source each hypothesis row decodes against, kept by the framework so that no
// decoder has to solve it: a decoder sees rows, search reorders them.
//
// Beam search gives each source up to K hypothesis rows and reorders them every step.
// Copying each row's memory [S, M] along with it would move tens of MB per step.
// Instead the tensors a decoder attends to are held here once per source ("slot"), each
// row names its slot, and attention runs on a grid [slots, G, ...]: the rows of one slot,
// at most G of them, attend to that slot's memory in one batched call, and the results
// are gathered back to row order. Grid cells no row fills are computed and ignored.
// Slots no row uses any more are dropped (one copy of what is held) once they make up
// half of all slots, so dead slots cost at most as much as live ones.
//
// A decoder, in init_state(): hold() what it attends to ([sources, ...] each);
// in step(): for queries q [N, T, D] (N rows, T positions, T = 1 in a step),
//   f(to_grid(q) [X, G*T, D], grid_memory(h) [X, ...]) -> y [X, G*T, ...]; from_grid(y) [N, T, ...]
// where X is the number of slots (or of rows, see grid_memory). Rows of one slot are
// together after any reorder beam or greedy search makes; otherwise every row gets its
// own copy of the memory (X = N, G = 1), which is correct but not cheap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "recur/core/tensor.h"

namespace recur::search {

class MemoryRows {
 public:
  MemoryRows() = default;
  // `sources` rows, row i on slot i. source_ids [sources, S] i64 may be undefined (a
  // source that is not text, or a decoder-only model); when defined it is held like the
  // decoder's tensors and reachable as source_ids().
  explicit MemoryRows(std::int64_t sources, const Tensor& source_ids = {});

  std::int64_t rows() const { return static_cast<std::int64_t>(slot_.size()); }
  std::int64_t slots() const { return slots_; }
  // Slot of a row: its index into held() tensors (renumbered when slots are dropped).
  std::int64_t slot(std::int64_t row) const { return slot_[static_cast<std::size_t>(row)]; }

  // Keeps rows `index` of the current rows, in that order; the batch may shrink or grow
  // (ShapeError if an index is out of range). Search calls it; decoders never need to.
  void reorder(const std::vector<std::int64_t>& index);

  // Holds a tensor [slots, ...] with one entry per slot (ShapeError otherwise); returns
  // its handle. Holding the same tensor twice keeps one copy.
  std::size_t hold(Tensor per_slot);
  // The held tensor [slots, ...].
  const Tensor& held(std::size_t handle) const;
  // Source ids [slots, S] (undefined if none were given).
  const Tensor& source_ids() const;

  // The held tensor as the grid sees it: [X, ...], X = slots(), or rows() when rows of
  // one slot are not together.
  const Tensor& grid_memory(std::size_t handle) const;
  // Per-row queries [N, T, ...] -> the grid [X, G*T, ...] (no copy when each row is on
  // its own slot in order).
  Tensor to_grid(const Tensor& per_row) const;
  // Grid results [X, G*T, ...] -> per row [N, T, ...].
  Tensor from_grid(const Tensor& grid) const;

 private:
  enum class Layout { identity, grid, row_copies };
  void drop_unused_slots();
  void lay_out();

  std::vector<std::int64_t> slot_;  // slot of each row
  std::int64_t slots_ = 0;
  std::vector<Tensor> held_;        // [slots, ...]
  std::ptrdiff_t source_ids_ = -1;  // handle of the source ids, -1 if none
  Layout layout_ = Layout::identity;
  std::int64_t g_ = 1;              // grid cells per slot
  Tensor cell_;                     // grid cell of each row [N] (grid)
  Tensor row_of_cell_;              // row each grid cell reads [X*G] (grid; 0 if unfilled)
  std::vector<Tensor> row_copies_;  // held tensors per row [N, ...] (row_copies)
};

}  // namespace recur::search
