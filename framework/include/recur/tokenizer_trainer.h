// TokenizerTrainer interface: learns a tokenizer model from text corpora. A plugin
// registers it under the name of the tokenizer that reads the model, e.g.
// ("tokenizer_trainer", "sentencepiece") beside ("tokenizer", "sentencepiece"), so a
// pipeline's tokenizer section finds its trainer by its `plugin:` name
// (recur/pipeline/vocabularies.h; `recur spm-train`). Its factory receives that
// tokenizer section (empty for `recur spm-train`); it may read settings from it but must
// not call finish(): the tokenizer owns the section.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "recur/plugin/component.h"

namespace recur {

struct TokenizerTrainOptions {
  // Text files, one segment per line; a joint model learns from all of them.
  std::vector<std::filesystem::path> corpora;
  // The model file to write (a trainer may write companion files beside it, e.g. the
  // .vocab of a SentencePiece model).
  std::filesystem::path model;
  std::int64_t vocab_size = 8000;
  // Learn from a random sample of this many lines (0: every line).
  std::int64_t sample_lines = 0;
  int threads = 1;
  // Trainer-specific algorithm (sentencepiece: unigram, bpe, char or word); empty: the
  // trainer's default.
  std::string model_type;
  // Share of the corpus's characters the vocabulary must cover, in (0, 1].
  double character_coverage = 1.0;
  // true: vocab_size is exact (too small a corpus is an error); false: the vocabulary
  // may come out smaller.
  bool exact_vocab_size = true;
};

class TokenizerTrainer : public Component {
 public:
  static constexpr const char* kKind = "tokenizer_trainer";
  ~TokenizerTrainer() override;

  // Writes options.model. Error for invalid options; IoError naming the corpus files
  // when they are missing, hold no text, or training fails. Leaves no temporary file.
  virtual void train(const TokenizerTrainOptions& options) const = 0;
};

}  // namespace recur
