// A Pipeline is what a pipeline YAML describes: a task (looked up by its `task:` name in
// the registry), the components that task needs (each created by its `plugin:` name),
// the batch settings and one weights file whose tensor names start with "encoder.",
// "decoder." (and "head." for a task with a head of its own).
//
//   task: translation            # any registered task: `recur plugins` lists them
//   source:
//     tokenizer: {plugin: sentencepiece, model: source.spm}   # or preprocessor: {...}
//   target:
//     tokenizer: {plugin: sentencepiece, model: target.spm}
//   encoder: {plugin: bilstm, hidden_size: 256, ...}
//   decoder: {plugin: gru, attention: general, ...}
//   search: {beam_size: 5, ...}  # read by the task (generating tasks)
//   batch: {max_tokens: 4096, max_rows: 128, maxi_batch: 1000, workers: 0}
//   max_source_length: 200
//   weights: model.safetensors   # relative to this file
//   train: {...}                 # read by `recur train` only
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "recur/config/section.h"
#include "recur/decoder.h"
#include "recur/encoder.h"
#include "recur/nn/module.h"
#include "recur/ops/precision.h"
#include "recur/pipeline/job_options.h"
#include "recur/pipeline/task.h"
#include "recur/plugin/registry.h"
#include "recur/preprocessor.h"
#include "recur/tokenizer.h"

namespace recur {

// The trained part of a pipeline: encoder and decoder under one root, so parameter
// names are "encoder.*" and "decoder.*". Either may be absent (a decoder-only model).
// A task may add a module of its own, the head (a classifier's pooling and output
// layer), named "head.*".
class Model : public nn::Module {
 public:
  Model(std::unique_ptr<Encoder> encoder, std::unique_ptr<Decoder> decoder);
  Encoder* encoder() { return encoder_.get(); }
  Decoder* decoder() { return decoder_.get(); }
  // Called by a task's configure(), before the weights are loaded; once.
  void set_head(std::unique_ptr<nn::Module> head);
  nn::Module* head() { return head_.get(); }

 private:
  std::unique_ptr<Encoder> encoder_;
  std::unique_ptr<Decoder> decoder_;
  std::unique_ptr<nn::Module> head_;
};

struct PipelineOptions {
  // Load the weights file (false when training from scratch).
  bool load_weights = true;
  // Accept NaN / Inf weights (refused by default, naming the tensor).
  bool allow_nonfinite = false;
  // Every file the YAML names (weights, tokenizer models, ...) must lie inside its
  // folder: what a model folder promises (`recur translate -m DIR`).
  bool files_inside_folder = false;
};

class Pipeline {
 public:
  // Builds the pipeline a YAML file describes. Errors name file:line:col and key; an
  // unknown task lists the registered ones.
  static Pipeline load(const std::filesystem::path& yaml, const Registry& registry,
                       const PipelineOptions& options = {});
  static Pipeline from_section(const config::Section& root, const Registry& registry,
                               const PipelineOptions& options = {});

  Pipeline(Pipeline&&) noexcept;
  Pipeline& operator=(Pipeline&&) noexcept;
  ~Pipeline();

  Task& task() { return *task_; }
  const std::string& task_name() const { return task_name_; }
  // Null when the task's source is not text.
  const Tokenizer* source_tokenizer() const { return source_tokenizer_.get(); }
  // Null when the task's source is not images.
  const Preprocessor* preprocessor() const { return preprocessor_.get(); }
  // The target tokenizer (Error if the task has none).
  const Tokenizer& target_tokenizer() const;
  Model& model() { return *model_; }
  // The encoder and decoder (Error if the task has none).
  Encoder& encoder();
  Decoder& decoder();
  // The task's search settings (Error if the task does not generate).
  search::Options& search_options();
  // Batch settings of the YAML's `batch:` section (the defaults where absent).
  const JobOptions& job_options() const { return job_options_; }
  std::int64_t max_source_length() const { return max_source_length_; }
  // `precision: f32 | bf16`: the arithmetic of inference (recur/ops/precision.h); the
  // caller applies it (ops::set_inference_precision), a command-line flag may override it.
  ops::Precision precision() const { return precision_; }
  const std::filesystem::path& weights_path() const { return weights_; }
  const std::filesystem::path& file() const { return file_; }

 private:
  Pipeline();

  std::string task_name_;
  std::unique_ptr<Task> task_;
  std::unique_ptr<Tokenizer> source_tokenizer_;
  std::unique_ptr<Preprocessor> preprocessor_;
  std::unique_ptr<Tokenizer> target_tokenizer_;
  std::unique_ptr<Model> model_;
  JobOptions job_options_;
  std::int64_t max_source_length_ = 256;
  ops::Precision precision_ = ops::Precision::f32;
  std::filesystem::path weights_;
  std::filesystem::path file_;
};

}  // namespace recur
