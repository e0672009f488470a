// An interface a decoder may also derive from (beside Decoder): the hidden state of its
// recurrent layers at every position of a text, for pictures of what its units do
// (`recur plot activations`). The language-model decoders implement it; callers find it
// with dynamic_cast on the pipeline's decoder. Since ABI 4.2.
#pragma once

#include <cstdint>
#include <vector>

#include "recur/core/tensor.h"

namespace recur {

class HiddenStateReader {
 public:
  virtual ~HiddenStateReader();

  // Recurrent layers (0 = the one above the embedding) and units per layer.
  virtual std::int64_t hidden_layers() const = 0;
  virtual std::int64_t hidden_units() const = 0;
  // Feeds `ids` one by one from the initial state (inference: no dropout; a language model
  // text starts with its start token, e.g. eos) and returns f32 [ids.size(), H]: row t is
  // layer `layer`'s output h after reading ids[t]. An Error naming the layers there are if
  // `layer` is out of range; a ShapeError if `ids` is empty.
  virtual Tensor hidden_states(const std::vector<std::int64_t>& ids, std::int64_t layer) = 0;
};

}  // namespace recur
