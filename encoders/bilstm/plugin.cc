// Plugin entry point: registers (encoder, bilstm).
#include "bilstm_encoder.h"
#include "recur/plugin/abi.h"
#include "recur/plugin/registry.h"

namespace {

void register_components(recur::PluginRegistrar& registrar) {
  registrar.add<recur::Encoder>("bilstm", &recur::encoders::bilstm_factory);
}

}  // namespace

RECUR_PLUGIN("bilstm", "0.1.0", register_components)
