// The seq2seq task types, `translation` and `summarization`: a text source tokenizer, an
// encoder, a target tokenizer and a decoder searched by greedy, beam search or sampling
// (the YAML's `search:` section). `extended_vocabulary: false` (top level; default true)
// turns off copying source words outside the vocabulary (extended_vocabulary.h). Records are lines of text (seq2seq_job.h); training
// reads a parallel corpus (seq2seq_training.h).
#pragma once

#include <memory>

#include "recur/pipeline/task.h"
#include "recur/search/search.h"

namespace recur::tasks {

class Seq2SeqTask final : public Task {
 public:
  TaskNeeds needs() const override { return {}; }
  void configure(const config::Section& root, Pipeline& pipeline) override;
  search::Options* search_options() override { return &search_; }
  std::unique_ptr<BatchJob> make_job(Pipeline& pipeline, const JobRequest& request) override;
  std::unique_ptr<train::TrainTask> make_train_task(Pipeline& pipeline,
                                                    const TrainSettings& settings) override;

 private:
  search::Options search_;
  bool extended_vocabulary_ = true;
};

std::unique_ptr<Task> seq2seq_task_factory(const config::Section& root, const BuildContext& context);

}  // namespace recur::tasks
