// Plugin entry point: registers (encoder, cnn).
#include "cnn_encoder.h"
#include "recur/plugin/abi.h"
#include "recur/plugin/registry.h"

namespace {

void register_components(recur::PluginRegistrar& registrar) {
  registrar.add<recur::Encoder>("cnn", &recur::encoders::cnn_factory);
}

}  // namespace

RECUR_PLUGIN("cnn", "0.1.0", register_components)
