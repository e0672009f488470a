// A Pipeline is what a pipeline YAML describes: source tokenizer (or image
// preprocessor), encoder, decoder, target tokenizer and search settings, each component
// created by name from the plugin registry. Weights come from one safetensors file whose
// tensor names start with "encoder." and "decoder.".
//
//   task: translation            # translation | summarization | captioning
//   source:
//     tokenizer: {plugin: sentencepiece, model: source.spm}
//   target:
//     tokenizer: {plugin: sentencepiece, model: target.spm}
//   encoder: {plugin: bilstm, hidden_size: 256, ...}
//   decoder: {plugin: gru, attention: general, ...}
//   search: {beam_size: 5, length_penalty: 0.6, max_length_a: 1.5, max_length_b: 10}
//   weights: model.safetensors   # relative to this file
//   max_source_length: 200
//   train: {...}                 # read by `recur train` only
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "recur/config/section.h"
#include "recur/decoder.h"
#include "recur/encoder.h"
#include "recur/nn/module.h"
#include "recur/plugin/registry.h"
#include "recur/preprocessor.h"
#include "recur/search/search.h"
#include "recur/tokenizer.h"

namespace recur {

enum class Task { translation, summarization, captioning };

// Encoder and decoder under one root, so parameter names are "encoder.*", "decoder.*".
class Seq2Seq : public nn::Module {
 public:
  Seq2Seq(std::unique_ptr<Encoder> encoder, std::unique_ptr<Decoder> decoder);
  Encoder& encoder() { return *encoder_; }
  Decoder& decoder() { return *decoder_; }

 private:
  std::unique_ptr<Encoder> encoder_;
  std::unique_ptr<Decoder> decoder_;
};

struct PipelineOptions {
  // Load the weights file (false when training from scratch).
  bool load_weights = true;
};

class Pipeline {
 public:
  // Builds the pipeline a YAML file describes. Errors name file:line:col and key.
  static Pipeline load(const std::filesystem::path& yaml, const Registry& registry,
                       const PipelineOptions& options = {});
  static Pipeline from_section(const config::Section& root, const Registry& registry,
                               const PipelineOptions& options = {});

  Task task() const { return task_; }
  // Null when the source is images.
  const Tokenizer* source_tokenizer() const { return source_tokenizer_.get(); }
  // Null when the source is text.
  const Preprocessor* preprocessor() const { return preprocessor_.get(); }
  const Tokenizer& target_tokenizer() const { return *target_tokenizer_; }
  Seq2Seq& model() { return *model_; }
  Encoder& encoder() { return model_->encoder(); }
  Decoder& decoder() { return model_->decoder(); }
  const search::Options& search_options() const { return search_; }
  search::Options& search_options() { return search_; }
  std::int64_t max_source_length() const { return max_source_length_; }
  const std::filesystem::path& weights_path() const { return weights_; }
  const std::filesystem::path& file() const { return file_; }

 private:
  Pipeline() = default;

  Task task_ = Task::translation;
  std::unique_ptr<Tokenizer> source_tokenizer_;
  std::unique_ptr<Preprocessor> preprocessor_;
  std::unique_ptr<Tokenizer> target_tokenizer_;
  std::unique_ptr<Seq2Seq> model_;
  search::Options search_;
  std::int64_t max_source_length_ = 256;
  std::filesystem::path weights_;
  std::filesystem::path file_;
};

// Parses a `search:` section (beam_size, n_best, length_penalty, max_length_a,
// max_length_b, max_length_cap, sampling, top_k, temperature, seed).
search::Options parse_search_options(const config::Section& section, search::Options base);

}  // namespace recur
