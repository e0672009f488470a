// Encoder interface (ABI 2): a source batch -> Memory. Plugins: bilstm (text), cnn (images).
// Encoders know nothing about files, batching or search.
#pragma once

#include <cstdint>
#include <vector>

#include "recur/core/tensor.h"
#include "recur/nn/module.h"
#include "recur/plugin/component.h"

namespace recur {

// A batch of sources. Text: `data` holds ids [B, S] (i64), left-aligned and padded, with
// `lengths[b]` real tokens in row b. Images: `data` is [B, C, H, W] f32 and lengths is
// empty.
struct SourceBatch {
  Tensor data;
  std::vector<std::int64_t> lengths;
};

// What the decoder attends to. Empty (every tensor undefined) for a decoder-only model
// (a language model): the decoder then starts from its own initial state. Every defined
// tensor has the batch B first.
struct Memory {
  Tensor states;      // [B, S, H] f32; padded positions are zero
  Tensor mask;        // [B, S] f32, 1 at real positions, 0 at padding
  Tensor summary;     // [B, Hs] f32, a fixed-size summary for the decoder's initial state
  Tensor source_ids;  // [B, S] i64, the source tokens (copy attention); optional: an
                      // encoder need not fill it; the seq2seq tasks set it when source
                      // and target share one vocabulary (the ids are then target ids)

  bool empty() const { return !states.defined(); }
};

class Encoder : public Component, public nn::Module {
 public:
  static constexpr const char* kKind = "encoder";
  ~Encoder() override;

  virtual Memory encode(const SourceBatch& batch) = 0;
  // Feature sizes of Memory::states and Memory::summary.
  virtual std::int64_t memory_size() const = 0;
  virtual std::int64_t summary_size() const = 0;
};

}  // namespace recur
