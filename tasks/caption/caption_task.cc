#include "caption_task.h"

#include "caption_job.h"
#include "caption_training.h"
#include "recur/pipeline/pipeline.h"
#include "recur/search/options.h"

namespace recur::tasks {

TaskNeeds CaptionTask::needs() const {
  TaskNeeds n;
  n.source = TaskNeeds::Source::image;
  return n;
}

void CaptionTask::configure(const config::Section& root, Pipeline& pipeline) {
  search::Options defaults;
  defaults.bos_id = pipeline.target_tokenizer().bos_id();
  defaults.eos_id = pipeline.target_tokenizer().eos_id();
  // A caption's length does not grow with the image's feature grid.
  defaults.max_length_a = 0.0f;
  defaults.max_length_b = 20;
  defaults.length_penalty = 0.0f;
  search_ = search::parse_options(root.optional_section("search"), defaults);
}

std::unique_ptr<BatchJob> CaptionTask::make_job(Pipeline& pipeline, const JobRequest& request) {
  if (request.shortlist.value_or(false)) {
    throw RequestError("shortlist", "a captioning model has no vocabulary shortlist (its source is an image)");
  }
  return std::make_unique<CaptionJob>(pipeline, request, search_);
}

std::unique_ptr<train::TrainTask> CaptionTask::make_train_task(Pipeline& pipeline,
                                                               const TrainSettings& settings) {
  return std::make_unique<CaptionTraining>(pipeline, parse_caption_data(settings));
}

std::unique_ptr<Task> caption_task_factory(const config::Section&, const BuildContext&) {
  return std::make_unique<CaptionTask>();
}

}  // namespace recur::tasks
