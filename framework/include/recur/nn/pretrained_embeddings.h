// Pretrained word vectors for an embedding table, from the two common text formats:
//
//   GloVe:    one word per line followed by its E numbers, separated by single spaces.
//             The word is everything before the last E fields (some GloVe files have
//             words containing spaces).
//   word2vec: the same lines after a header line "COUNT DIM" (two decimal integers);
//             a trailing space at the end of a line (word2vec's own tool writes one)
//             is allowed.
//
// The format is detected from the first line: exactly two fields that are both decimal
// integers make a word2vec header (so a GloVe file with E == 1 whose first word is a
// number would be misread; no real file is like that).
#pragma once

#include <cstdint>
#include <filesystem>

#include "recur/core/tensor.h"
#include "recur/text/vocab.h"

namespace recur::nn {

enum class VectorFormat { glove, word2vec };
const char* vector_format_name(VectorFormat format);  // "GloVe" or "word2vec"

// What load_pretrained_embeddings() found, for callers to log coverage.
struct PretrainedEmbeddingsReport {
  VectorFormat format = VectorFormat::glove;
  std::int64_t rows_found = 0;   // vocabulary ids that received a vector
  std::int64_t vocab_size = 0;   // ids of the vocabulary (rows of the table)
  std::int64_t vectors_read = 0; // vector lines in the file
  // Share of the vocabulary's ids that received a vector, in [0, 1].
  double coverage() const {
    return vocab_size == 0 ? 0.0 : static_cast<double>(rows_found) / static_cast<double>(vocab_size);
  }
};

// Copies the vector of every word of `vocab` found in `vectors` (exact match; the first
// vector of a word wins) into its row of `table`, an f32 [V, E] tensor with
// V == vocab.size(); other rows keep their values. IoError naming file:line for a
// malformed line (wrong number of values, a value that is not a number), a word2vec
// header whose DIM is not E or whose COUNT is not the number of vector lines, and an
// IoError naming the file if it cannot be read or the table does not fit the vocabulary.
PretrainedEmbeddingsReport load_pretrained_embeddings(const std::filesystem::path& vectors,
                                                      const text::Vocab& vocab, Tensor& table);

}  // namespace recur::nn
