// The encoder's memory during search, kept once per source sentence ("slot") however
// many hypothesis rows decode against it.
//
// Beam search gives each source up to K hypothesis rows and reorders them every step.
// Copying each row's memory [S, M] (and keys [S, K]) along with it would move tens of
// MB per step. Instead each row names its slot, and attention runs on a grid
// [slots, G, ...]: the rows of one slot, at most G of them, attend to that slot's memory
// in one batched matmul, and the results are gathered back to row order. Grid cells no
// row fills are computed and ignored. Slots no row uses any more are dropped (one copy
// of the memory) once they make up half of all slots, so dead slots cost at most as
// much as live ones.
#pragma once

#include <cstdint>
#include <vector>

#include "attention.h"
#include "recur/core/tensor.h"

namespace recur::decoders {

class MemorySlots {
 public:
  // states [B, S, M], keys [B, S, K] (may be the same handle as states), padding
  // [B, 1, S]; row i starts on slot i.
  MemorySlots(Tensor states, Tensor keys, Tensor padding);

  std::int64_t rows() const { return static_cast<std::int64_t>(slot_.size()); }
  std::int64_t slots() const { return states_.dim(0); }

  // Keeps rows `index` of the current rows, in that order (ShapeError if out of range).
  void reorder(const std::vector<std::int64_t>& index);

  // Attention of each row's query h [N, 1, H] over its own slot's memory:
  // context [N, 1, M], weights [N, 1, S].
  AttentionOutput attend(const Attention& attention, const Tensor& h) const;

 private:
  void drop_unused_slots();

  Tensor states_, keys_, padding_;
  std::vector<std::int64_t> slot_;  // slot of each row
};

}  // namespace recur::decoders
