// The `captioning` task: an image preprocessor, an image encoder (e.g. cnn), a target
// tokenizer and a decoder searched by greedy, beam search or sampling (the YAML's
// `search:` section; captions default to at most 20 tokens, no length penalty). Records
// are image paths (caption_job.h); training reads `path<TAB>caption` TSV files
// (caption_training.h).
#pragma once

#include <memory>

#include "recur/pipeline/task.h"
#include "recur/search/search.h"

namespace recur::tasks {

class CaptionTask final : public Task {
 public:
  TaskNeeds needs() const override;
  void configure(const config::Section& root, Pipeline& pipeline) override;
  search::Options* search_options() override { return &search_; }
  std::unique_ptr<BatchJob> make_job(Pipeline& pipeline, const JobRequest& request) override;
  std::unique_ptr<train::TrainTask> make_train_task(Pipeline& pipeline,
                                                    const TrainSettings& settings) override;

 private:
  search::Options search_;
};

std::unique_ptr<Task> caption_task_factory(const config::Section& root, const BuildContext& context);

}  // namespace recur::tasks
