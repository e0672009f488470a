// Tasks are registered, not hard-coded: the built-in plugins register translation,
// summarization and captioning, a user's plugin adds its own (fixtures/upper_task.cc), an
// unknown task lists the registered ones, and the runner drives any of them.
#include <gtest/gtest.h>

#include <sstream>

#include "recur/core/error.h"
#include "recur/pipeline/pipeline.h"
#include "recur/pipeline/runner.h"
#include "recur/plugin/host.h"

namespace recur {
namespace {

PluginHost host_with_user_task() {
  PluginHost host;
  host.load_search_path({RECUR_TEST_PLUGIN_DIR "/upper_task"});
  return host;
}

TEST(TaskRegistry, BuiltInAndUserTasksAreRegistered) {
  PluginHost host = host_with_user_task();
  const auto names = host.registry().names(Task::kKind);
  EXPECT_EQ(names, (std::vector<std::string>{"captioning", "classification", "forecasting", "language_model", "summarization", "translation", "upper"}));
}

TEST(TaskRegistry, AnUnknownTaskListsTheRegisteredOnes) {
  PluginHost host = host_with_user_task();
  auto root = config::load_string("task: caption_everything\n", "p.yaml", ".");
  try {
    Pipeline::from_section(root, host.registry(), {false});
    FAIL() << "accepted an unknown task";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "p.yaml:1:7: task: unknown task 'caption_everything' "
                           "(registered: captioning, classification, forecasting, language_model, summarization, translation, upper)");
  }
}

TEST(TaskRegistry, AUserTaskRunsThroughTheRunner) {
  PluginHost host = host_with_user_task();
  auto root = config::load_string("task: upper\nbatch: {maxi_batch: 2}\n", "p.yaml", ".");
  Pipeline p = Pipeline::from_section(root, host.registry(), {false});
  EXPECT_EQ(p.task_name(), "upper");
  EXPECT_EQ(p.job_options().maxi_batch, 2);
  EXPECT_THROW(p.encoder(), Error);
  auto job = p.task().make_job(p, {});
  std::istringstream in("abc\n\nxyz\nq\n");
  std::ostringstream out;
  data::LineReader reader(in, "in.txt");
  run_job(*job, reader, main_sink(out, "out"), p.job_options());
  EXPECT_EQ(out.str(), "ABC\n\nXYZ\nQ\n");
}

}  // namespace
}  // namespace recur
