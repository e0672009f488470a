// The forecast plugin: registers the `forecasting` task.
#include "forecast_task.h"
#include "recur/plugin/abi.h"
#include "recur/plugin/registry.h"

namespace {

void register_components(recur::PluginRegistrar& r) {
  r.add<recur::Task>("forecasting", &recur::tasks::forecasting_task_factory);
}

}  // namespace

RECUR_PLUGIN("forecast", "0.1.0", register_components)
