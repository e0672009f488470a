// The lm plugin: registers the `language_model` task.
#include "lm_task.h"
#include "recur/plugin/abi.h"
#include "recur/plugin/registry.h"

namespace {

void register_components(recur::PluginRegistrar& r) {
  r.add<recur::Task>("language_model", &recur::tasks::language_model_task_factory);
}

}  // namespace

RECUR_PLUGIN("lm", "0.1.0", register_components)
