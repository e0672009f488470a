// The seq2seq plugin: registers the `translation` and `summarization` tasks.
#include "recur/plugin/abi.h"
#include "recur/plugin/registry.h"
#include "seq2seq_task.h"

namespace {

void register_components(recur::PluginRegistrar& r) {
  r.add<recur::Task>("translation", &recur::tasks::seq2seq_task_factory);
  r.add<recur::Task>("summarization", &recur::tasks::seq2seq_task_factory);
}

}  // namespace

RECUR_PLUGIN("seq2seq", "0.1.0", register_components)
