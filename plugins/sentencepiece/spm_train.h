// Trains a SentencePiece model from a text corpus (one segment per line), for
// `recur spm-train` and `recur train`. The model gets recur's special ids, the same as
// the char and whitespace tokenizers: 0 <pad>, 1 <s>, 2 </s>, 3 <unk>.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace recur::plugins {

struct SpmTrainOptions {
  std::filesystem::path corpus;
  std::filesystem::path model_prefix;   // writes <prefix>.model and <prefix>.vocab
  std::int64_t vocab_size = 8000;
  std::string model_type = "unigram";   // unigram, bpe, char or word
  double character_coverage = 1.0;      // 1.0 keeps every character (fine for Latin scripts)
  std::int64_t input_sentence_size = 0; // sample this many lines (0: all)
  int num_threads = 1;
  // false lets the vocabulary come out smaller when the corpus is too small for it.
  bool hard_vocab_limit = true;
};

// Throws IoError naming the corpus (missing, or training failed with SentencePiece's
// message) and Error for invalid options. Returns the path of the .model file.
std::filesystem::path train_sentencepiece(const SpmTrainOptions& options);

}  // namespace recur::plugins
