#include "seq2seq_task.h"

#include "recur/pipeline/pipeline.h"
#include "recur/search/options.h"
#include "seq2seq_job.h"
#include "seq2seq_training.h"

namespace recur::tasks {

void Seq2SeqTask::configure(const config::Section& root, Pipeline& pipeline) {
  search::Options defaults;
  defaults.bos_id = pipeline.target_tokenizer().bos_id();
  defaults.eos_id = pipeline.target_tokenizer().eos_id();
  search_ = search::parse_options(root.optional_section("search"), defaults);
  extended_vocabulary_ = root.get<bool>("extended_vocabulary", true);
}

std::unique_ptr<BatchJob> Seq2SeqTask::make_job(Pipeline& pipeline, const JobRequest& request) {
  return std::make_unique<Seq2SeqJob>(pipeline, request, search_, extended_vocabulary_);
}

std::unique_ptr<train::TrainTask> Seq2SeqTask::make_train_task(Pipeline& pipeline,
                                                               const TrainSettings& settings) {
  Seq2SeqData data = parse_seq2seq_data(settings);
  data.extended_vocabulary = extended_vocabulary_;
  return std::make_unique<Seq2SeqTraining>(pipeline, std::move(data));
}

std::unique_ptr<Task> seq2seq_task_factory(const config::Section&, const BuildContext&) {
  return std::make_unique<Seq2SeqTask>();
}

}  // namespace recur::tasks
