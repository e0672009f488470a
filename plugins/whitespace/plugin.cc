// Plugin entry point: registers (tokenizer, whitespace).
#include "whitespace_tokenizer.h"
#include "recur/plugin/abi.h"
#include "recur/plugin/registry.h"

namespace {

void register_components(recur::PluginRegistrar& registrar) {
  registrar.add<recur::Tokenizer>("whitespace", &recur::plugins::whitespace_tokenizer_factory);
}

}  // namespace

RECUR_PLUGIN("whitespace", "0.1.0", register_components)
