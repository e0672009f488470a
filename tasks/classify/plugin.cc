// The classify plugin: registers the `classification` task.
#include "classify_task.h"
#include "recur/plugin/abi.h"
#include "recur/plugin/registry.h"

namespace {

void register_components(recur::PluginRegistrar& r) {
  r.add<recur::Task>("classification", &recur::tasks::classification_task_factory);
}

}  // namespace

RECUR_PLUGIN("classify", "0.1.0", register_components)
