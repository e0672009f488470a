// The training loss of every generating task whose decoder reads a Memory (translation,
// summarization, captioning): the decoder is fed [bos, y1 .. yn] and scored on
// [y1 .. yn, eos] with cross-entropy (padding ignored, optional label smoothing).
#pragma once

#include <cstdint>
#include <vector>

#include "recur/core/tensor.h"
#include "recur/decoder.h"
#include "recur/encoder.h"
#include "recur/tokenizer.h"
#include "recur/train/task.h"

namespace recur {

// [B, W] i64 of the id rows, padded with `pad` to the longest; each row gets `front`
// first and `back` last when they are >= 0.
Tensor pad_id_rows(const std::vector<const std::vector<std::int64_t>*>& rows, std::int64_t pad,
                   std::int64_t front = -1, std::int64_t back = -1);

// Teacher-forcing loss of `decoder` on `memory` (B rows) for the target id rows (no bos
// or eos): the mean over target tokens (eos included) plus the decoder's
// auxiliary_loss() (coverage), and the cross-entropy's sum and token count. Target ids
// may be extended-vocabulary ids (>= V, a copied source word): a decoder that returns that
// many columns scores them, for one that does not they count as the unknown token.
train::StepLoss teacher_forcing_loss(Decoder& decoder, const Memory& memory,
                                     const Tokenizer& target,
                                     const std::vector<const std::vector<std::int64_t>*>& rows,
                                     float label_smoothing);

}  // namespace recur
