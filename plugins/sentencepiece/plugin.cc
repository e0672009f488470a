// Plugin entry point: registers (tokenizer, sentencepiece).
#include "recur/plugin/abi.h"
#include "recur/plugin/registry.h"
#include "spm_tokenizer.h"

namespace {

void register_components(recur::PluginRegistrar& registrar) {
  registrar.add<recur::Tokenizer>("sentencepiece", &recur::plugins::sentencepiece_tokenizer_factory);
}

}  // namespace

RECUR_PLUGIN("sentencepiece", "0.1.0", register_components)
