// Trains a SentencePiece model from text corpora (one segment per line): the
// ("tokenizer_trainer", "sentencepiece") component, used by `recur train` for missing
// models and by `recur spm-train`. The model gets recur's special ids, the same as the
// char and whitespace tokenizers: 0 <pad>, 1 <s>, 2 </s>, 3 <unk>.
#pragma once

#include <memory>

#include "recur/tokenizer_trainer.h"

namespace recur::plugins {

// Writes options.model, and the .vocab file beside it (the model's name with .vocab).
// model_type: unigram (the default), bpe, char or word. Several corpora are joined into
// a temporary "<model>.corpus.txt", removed on every path. Error for invalid options;
// IoError naming the corpora when one is missing, when none holds a non-blank line, or
// when SentencePiece fails (with its message).
void train_sentencepiece(const TokenizerTrainOptions& options);

class SentencePieceTrainer final : public TokenizerTrainer {
 public:
  void train(const TokenizerTrainOptions& options) const override { train_sentencepiece(options); }
};

// The factory registered as (tokenizer_trainer, sentencepiece); reads no settings.
std::unique_ptr<TokenizerTrainer> sentencepiece_trainer_factory(const config::Section& settings,
                                                                const BuildContext& context);

}  // namespace recur::plugins
