// The `classification` task (many-to-one): a text source, an encoder and the task's own
// head (classifier_head.h), no target tokenizer and no decoder. One label per line of
// text; `recur classify` runs it, `recur train` trains it.
//
//   task: classification
//   labels: [negative, positive]   # the classes, in the order of the head's outputs
//   source: {tokenizer: {...}}
//   encoder: {plugin: bilstm, ...}
//   classifier: {pooling: last, ...}   # classifier_head.h
//   train: {data: {...}}               # classify_training.h
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "classifier_head.h"
#include "recur/pipeline/task.h"

namespace recur::tasks {

class ClassificationTask final : public Task {
 public:
  TaskNeeds needs() const override;
  void configure(const config::Section& root, Pipeline& pipeline) override;
  std::unique_ptr<BatchJob> make_job(Pipeline& pipeline, const JobRequest& request) override;
  std::unique_ptr<train::TrainTask> make_train_task(Pipeline& pipeline, const TrainSettings& settings) override;

  const std::vector<std::string>& labels() const { return labels_; }
  ClassifierHead& head() { return *head_; }

 private:
  std::vector<std::string> labels_;
  ClassifierHead* head_ = nullptr;  // owned by the pipeline's Model
};

// Reads `labels:` (at least 2, distinct, non-empty, no tab, newline or carriage return:
// they are written as `label<TAB>probability` lines); ConfigError at the key.
std::vector<std::string> parse_labels(const config::Section& root);

std::unique_ptr<Task> classification_task_factory(const config::Section& root, const BuildContext& context);

}  // namespace recur::tasks
