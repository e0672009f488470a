// The TokenizerTrainer interface's key function: its type information lives in
// librecur, so plugins and the framework agree on it.
#include "recur/tokenizer_trainer.h"

namespace recur {

TokenizerTrainer::~TokenizerTrainer() = default;

}  // namespace recur
