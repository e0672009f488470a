#include "spm_train.h"

#include <sentencepiece_trainer.h>

#include <unordered_map>

#include "recur/core/error.h"

namespace recur::plugins {
namespace {

void check(const SpmTrainOptions& o) {
  if (o.vocab_size < 5) throw Error("spm-train: vocab_size must be at least 5 (4 specials and a piece)");
  if (o.model_type != "unigram" && o.model_type != "bpe" && o.model_type != "char" && o.model_type != "word") {
    throw Error("spm-train: model_type must be unigram, bpe, char or word, got \"" + o.model_type + "\"");
  }
  if (!(o.character_coverage > 0.0 && o.character_coverage <= 1.0)) {
    throw Error("spm-train: character_coverage must be in (0, 1]");
  }
  if (o.num_threads < 1 || o.input_sentence_size < 0) throw Error("spm-train: invalid num_threads or input size");
  if (o.model_prefix.empty()) throw Error("spm-train: model_prefix is empty");
}

}  // namespace

std::filesystem::path train_sentencepiece(const SpmTrainOptions& o) {
  check(o);
  if (!std::filesystem::is_regular_file(o.corpus)) {
    throw IoError("spm-train: corpus " + o.corpus.string() + " does not exist or is not a file");
  }
  // A map, not a command line: paths with spaces or '=' pass through untouched.
  const std::unordered_map<std::string, std::string> args = {
      {"input", o.corpus.string()},
      {"model_prefix", o.model_prefix.string()},
      {"vocab_size", std::to_string(o.vocab_size)},
      {"model_type", o.model_type},
      {"character_coverage", std::to_string(o.character_coverage)},
      {"input_sentence_size", std::to_string(o.input_sentence_size)},
      {"shuffle_input_sentence", "true"},
      {"num_threads", std::to_string(o.num_threads)},
      {"hard_vocab_limit", o.hard_vocab_limit ? "true" : "false"},
      {"pad_id", "0"},
      {"bos_id", "1"},
      {"eos_id", "2"},
      {"unk_id", "3"},
      {"pad_piece", "<pad>"},
      {"minloglevel", "1"},
  };
  const auto status = sentencepiece::SentencePieceTrainer::Train(args);
  if (!status.ok()) {
    throw IoError("spm-train: training on " + o.corpus.string() + " failed: " + status.ToString());
  }
  std::filesystem::path model = o.model_prefix;
  model += ".model";
  return model;
}

}  // namespace recur::plugins
