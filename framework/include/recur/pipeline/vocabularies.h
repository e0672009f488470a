// Tokenizer models a training pipeline needs before it can be built: a tokenizer
// section naming a `model:` file that does not exist yet gets it trained from the
// training data, by the TokenizerTrainer registered under the tokenizer's `plugin:` name
// (recur/tokenizer_trainer.h). When source and target name the same file, one joint
// model is trained on both sides.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "recur/config/section.h"
#include "recur/plugin/registry.h"

namespace recur {

// What missing models are trained from (a pipeline's train: section gives these).
struct VocabularyTraining {
  std::filesystem::path source_corpus;  // train.data.source
  std::filesystem::path target_corpus;  // train.data.target
  std::int64_t source_size = 8000;      // train.vocab.source_size (also a joint model's)
  std::int64_t target_size = 8000;      // train.vocab.target_size
  std::int64_t sample_lines = 0;        // train.vocab.sample_lines (0: every line)
  int threads = 2;
};

// Trains the models named by root's source.tokenizer.model and target.tokenizer.model
// that do not exist (sides without a tokenizer or without a `model:` key are skipped);
// returns the model files written, in that order. A missing model whose tokenizer plugin
// has no trainer is a ConfigError at the `model:` key; trainer errors (e.g. an empty
// corpus) name the corpus files.
std::vector<std::filesystem::path> ensure_vocabularies(const Registry& registry,
                                                       const config::Section& root,
                                                       const VocabularyTraining& training);

}  // namespace recur
