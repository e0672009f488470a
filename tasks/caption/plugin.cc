// The caption plugin: registers the `captioning` task.
#include "caption_task.h"
#include "recur/plugin/abi.h"
#include "recur/plugin/registry.h"

namespace {

void register_components(recur::PluginRegistrar& r) {
  r.add<recur::Task>("captioning", &recur::tasks::caption_task_factory);
}

}  // namespace

RECUR_PLUGIN("caption", "0.1.0", register_components)
