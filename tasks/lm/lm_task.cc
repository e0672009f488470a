#include "lm_task.h"

#include "lm_job.h"
#include "lm_training.h"
#include "recur/pipeline/pipeline.h"

namespace recur::tasks {

search::Options language_model_search_defaults(const Tokenizer& tokenizer) {
  const std::int64_t eos_id = tokenizer.eos_id();
  search::Options o;
  o.beam_size = 1;
  o.sampling = true;
  o.max_length_a = 0.0f;
  o.max_length_b = 500;
  o.max_length_cap = 1000000;
  o.length_penalty = 0.0f;
  o.bos_id = eos_id;  // a text starts as if after a line break
  o.eos_id = eos_id;
  o.suppress_ids = {tokenizer.pad_id(), tokenizer.bos_id(), tokenizer.unk_id()};  // not text
  return o;
}

TaskNeeds LanguageModelTask::needs() const {
  TaskNeeds n;
  n.source = TaskNeeds::Source::none;
  n.encoder = false;
  return n;
}

void LanguageModelTask::configure(const config::Section& root, Pipeline& pipeline) {
  search_ = search::parse_options(root.optional_section("search"),
                                  language_model_search_defaults(pipeline.target_tokenizer()));
}

std::unique_ptr<BatchJob> LanguageModelTask::make_job(Pipeline& pipeline, const JobRequest& request) {
  if (request.shortlist.value_or(false)) {
    throw RequestError("shortlist", "a language model has no source to shortlist its vocabulary from");
  }
  return std::make_unique<LmJob>(pipeline, request, search_);
}

std::unique_ptr<train::TrainTask> LanguageModelTask::make_train_task(Pipeline& pipeline,
                                                                     const TrainSettings& settings) {
  return std::make_unique<LmTraining>(pipeline, parse_lm_data(settings));
}

std::unique_ptr<Task> language_model_task_factory(const config::Section&, const BuildContext&) {
  return std::make_unique<LanguageModelTask>();
}

}  // namespace recur::tasks
