// Plugin entry point: registers (tokenizer, char).
#include "char_tokenizer.h"
#include "recur/plugin/abi.h"
#include "recur/plugin/registry.h"

namespace {

void register_components(recur::PluginRegistrar& registrar) {
  registrar.add<recur::Tokenizer>("char", &recur::plugins::char_tokenizer_factory);
}

}  // namespace

RECUR_PLUGIN("char", "0.1.0", register_components)
