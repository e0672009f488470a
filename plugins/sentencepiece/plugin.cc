// Plugin entry point: registers (tokenizer, sentencepiece) and its trainer,
// (tokenizer_trainer, sentencepiece).
#include "recur/plugin/abi.h"
#include "recur/plugin/registry.h"
#include "spm_tokenizer.h"
#include "spm_train.h"

namespace {

void register_components(recur::PluginRegistrar& registrar) {
  registrar.add<recur::Tokenizer>("sentencepiece", &recur::plugins::sentencepiece_tokenizer_factory);
  registrar.add<recur::TokenizerTrainer>("sentencepiece", &recur::plugins::sentencepiece_trainer_factory);
}

}  // namespace

RECUR_PLUGIN("sentencepiece", "0.2.0", register_components)
