// The `language_model` task (decoder only): a target tokenizer and a decoder built
// without an encoder (decoders/attention/lm_decoder.h), trained on long text with
// truncated backpropagation through time (lm_training.h). `recur generate` samples from
// it; `recur eval --metric bpc` scores a text; `recur run` completes each input line
// (lm_job.h).
//
//   task: language_model
//   target: {tokenizer: {plugin: char, corpus: train.txt, vocab: chars.txt}}
//   decoder: {plugin: lstm, hidden_size: 512, layers: 2}
//   search: {temperature: 0.8, top_k: 40}   # defaults below; recur generate's flags override
//   train: {data: {...}}                     # lm_training.h
//
// Search defaults of the task: sampling at temperature 1 over the whole vocabulary,
// max_length_a 0, max_length_b 500 (tokens per line completion or generated sample),
// max_length_cap 1,000,000. Generation starts after a line break (bos_id is eos), as
// every training row's text does; pad, bos and unk are never generated.
#pragma once

#include <memory>

#include "recur/pipeline/task.h"
#include "recur/search/options.h"
#include "recur/tokenizer.h"

namespace recur::tasks {

class LanguageModelTask final : public Task {
 public:
  TaskNeeds needs() const override;
  void configure(const config::Section& root, Pipeline& pipeline) override;
  search::Options* search_options() override { return &search_; }
  std::unique_ptr<BatchJob> make_job(Pipeline& pipeline, const JobRequest& request) override;
  std::unique_ptr<train::TrainTask> make_train_task(Pipeline& pipeline, const TrainSettings& settings) override;

 private:
  search::Options search_;
};

// The task's search defaults (above) for the target tokenizer: pad, bos and unk are
// never generated (suppress_ids).
search::Options language_model_search_defaults(const Tokenizer& tokenizer);

std::unique_ptr<Task> language_model_task_factory(const config::Section& root, const BuildContext& context);

}  // namespace recur::tasks
