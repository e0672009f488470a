// The framework's half of the Decoder interface: the memory rows every decoding state
// carries, sized and reordered here so that no decoder does it.
#include <string>
#include <utility>

#include "recur/core/error.h"
#include "recur/decoder.h"
#include "recur/output_subset.h"

namespace recur {

DecoderState::DecoderState(search::MemoryRows rows) : rows_(std::move(rows)) {}

std::unique_ptr<DecoderState> Decoder::init(const Memory& memory, std::int64_t rows) {
  if (!memory.empty() && memory.states.dim(0) != rows) {
    throw ShapeError("decoder: memory has " + std::to_string(memory.states.dim(0)) + " rows for " +
                     std::to_string(rows) + " sources");
  }
  std::unique_ptr<DecoderState> state = init_state(memory, search::MemoryRows(rows, memory.source_ids));
  if (!state || state->batch_size() != rows) {
    throw ShapeError("decoder: init_state did not keep the " + std::to_string(rows) + " rows it was given");
  }
  return state;
}

std::unique_ptr<DecoderState> Decoder::init(const Memory& memory) {
  if (memory.empty()) throw ShapeError("decoder: an empty memory needs the number of rows");
  return init(memory, memory.states.dim(0));
}

Tensor Decoder::auxiliary_loss() const { return {}; }

Tensor Decoder::forward_carried(const Tensor&, std::vector<Tensor>&) {
  throw Error("decoder: this decoder attends to an encoder's memory and cannot run as a language model "
              "over carried state (use a decoder without an encoder: task language_model)");
}

void Decoder::reorder(DecoderState& state, const std::vector<std::int64_t>& index) {
  if (index.empty()) throw ShapeError("decoder: reorder to an empty batch");
  bool identity = static_cast<std::int64_t>(index.size()) == state.batch_size();
  for (std::size_t i = 0; identity && i < index.size(); ++i) identity = index[i] == static_cast<std::int64_t>(i);
  if (identity) return;
  state.memory_rows().reorder(index);
  reorder_state(state, index);
}

void check_output_subset(const std::vector<std::int64_t>& ids, std::int64_t vocab, const char* who) {
  if (ids.empty()) throw ShapeError(std::string(who) + ": an output subset needs at least one id");
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] < 0 || ids[i] >= vocab) {
      throw ShapeError(std::string(who) + ": output subset id " + std::to_string(ids[i]) +
                       " is outside the vocabulary [0, " + std::to_string(vocab) + ")");
    }
    if (i > 0 && ids[i] <= ids[i - 1]) {
      throw ShapeError(std::string(who) + ": output subset ids must be sorted and unique, got " +
                       std::to_string(ids[i - 1]) + " before " + std::to_string(ids[i]));
    }
  }
}

}  // namespace recur
