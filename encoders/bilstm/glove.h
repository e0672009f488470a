// Pretrained word vectors in GloVe's text format: one word per line followed by its E
// numbers, separated by single spaces. The word is everything before the last E fields
// (some GloVe files have words containing spaces).
#pragma once

#include <cstdint>
#include <filesystem>

#include "recur/core/tensor.h"
#include "recur/text/vocab.h"

namespace recur::encoders {

// Copies the vector of every word of `vocab` found in `vectors` (exact match) into its
// row of `table` [V, E] (V == vocab.size()); other rows keep their values. Returns the
// number of rows set. IoError naming the file and line for a malformed line or a vector
// of the wrong length.
std::int64_t load_glove(const std::filesystem::path& vectors, const text::Vocab& vocab,
                        Tensor& table);

}  // namespace recur::encoders
