// Plugin entry point: registers (tokenizer, char) and (tokenizer, whitespace).
#include "recur/plugin/abi.h"
#include "recur/plugin/registry.h"
#include "vocab_tokenizer.h"

namespace {

void register_components(recur::PluginRegistrar& registrar) {
  registrar.add<recur::Tokenizer>("char", &recur::plugins::char_tokenizer_factory);
  registrar.add<recur::Tokenizer>("whitespace", &recur::plugins::whitespace_tokenizer_factory);
}

}  // namespace

RECUR_PLUGIN("vocab", "0.1.0", register_components)
