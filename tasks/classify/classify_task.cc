#include "classify_task.h"

#include <set>

#include "classify_job.h"
#include "classify_training.h"
#include "recur/pipeline/pipeline.h"

namespace recur::tasks {

std::vector<std::string> parse_labels(const config::Section& root) {
  if (!root.has("labels")) root.fail("labels", "a classification pipeline needs `labels: [a, b, ...]`, its classes");
  std::vector<std::string> labels = root.list<std::string>("labels");
  if (labels.size() < 2) root.fail("labels", "needs at least 2 classes, got " + std::to_string(labels.size()));
  std::set<std::string> seen;
  for (const std::string& l : labels) {
    if (l.empty() || l.find_first_of("\t\n\r") != std::string::npos) {
      root.fail("labels", "label '" + l + "' is empty or holds a tab or line break");
    }
    if (!seen.insert(l).second) root.fail("labels", "label '" + l + "' is listed twice");
  }
  return labels;
}

TaskNeeds ClassificationTask::needs() const {
  TaskNeeds n;
  n.target_tokenizer = false;
  n.decoder = false;
  return n;
}

void ClassificationTask::configure(const config::Section& root, Pipeline& pipeline) {
  labels_ = parse_labels(root);
  const ClassifierSettings settings = parse_classifier_settings(root.optional_section("classifier"));
  const Encoder& encoder = pipeline.encoder();
  auto head = std::make_unique<ClassifierHead>(settings, encoder.memory_size(), encoder.summary_size(),
                                               static_cast<std::int64_t>(labels_.size()));
  head_ = head.get();
  pipeline.model().set_head(std::move(head));
}

std::unique_ptr<BatchJob> ClassificationTask::make_job(Pipeline& pipeline, const JobRequest& request) {
  if (request.shortlist.value_or(false)) {
    throw RequestError("shortlist", "the classification task generates no tokens (no vocabulary shortlist)");
  }
  return std::make_unique<ClassifyJob>(pipeline, *head_, labels_, request);
}

std::unique_ptr<train::TrainTask> ClassificationTask::make_train_task(Pipeline& pipeline,
                                                                      const TrainSettings& settings) {
  return std::make_unique<ClassifyTraining>(pipeline, *head_, labels_, parse_classify_data(settings, labels_));
}

std::unique_ptr<Task> classification_task_factory(const config::Section&, const BuildContext&) {
  return std::make_unique<ClassificationTask>();
}

}  // namespace recur::tasks
