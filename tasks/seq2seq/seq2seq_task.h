// The seq2seq task types, `translation` and `summarization`: a text source tokenizer, an
// encoder, a target tokenizer and a decoder searched by greedy, beam search or sampling
// (the YAML's `search:` section), optionally over a vocabulary shortlist
// (`search.shortlist`, pipeline/shortlist_file.h; its table is read by the first job that
// uses it). `extended_vocabulary: false` (top level; default true) turns off copying
// source words outside the vocabulary (extended_vocabulary.h). Records are lines of text
// (seq2seq_job.h); training reads a parallel corpus (seq2seq_training.h).
#pragma once

#include <memory>
#include <optional>

#include "recur/pipeline/shortlist_file.h"
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
  // The shortlist a job asked for (`request`), read once; null when it uses none.
  std::shared_ptr<const search::Shortlist> shortlist_for(const JobRequest& request);

  search::Options search_;
  bool extended_vocabulary_ = true;
  std::optional<ShortlistSettings> shortlist_settings_;
  std::shared_ptr<const search::Shortlist> shortlist_;  // read on first use
};

std::unique_ptr<Task> seq2seq_task_factory(const config::Section& root, const BuildContext& context);

}  // namespace recur::tasks
