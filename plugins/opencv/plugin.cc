// Plugin entry point: registers (preprocessor, opencv), loading OpenCV on first use.
#include "lazy_factory.h"
#include "recur/plugin/abi.h"
#include "recur/plugin/registry.h"

namespace {

void register_components(recur::PluginRegistrar& registrar) {
  registrar.add<recur::Preprocessor>("opencv", &recur::plugins::lazy_opencv_factory);
}

}  // namespace

RECUR_PLUGIN("opencv", "0.1.0", register_components)
