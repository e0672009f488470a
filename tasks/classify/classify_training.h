// Training a classification pipeline on texts with one label each: the TrainTask the
// generic Trainer drives. Texts are tokenized once and kept in memory; each epoch sorts
// them by length with a seeded shuffle of ties, cuts batches by the token budget and
// shuffles the batch order. Validation reports loss, accuracy and macro-F1 (the metrics
// `recur eval --metric accuracy` prints).
//
//   train:
//     data:
//       text: data/train.text          # one text per line (relative to the YAML file)
//       label: data/train.label        # line i: the label of text i, one of `labels:`
//       valid_text: data/valid.text
//       valid_label: data/valid.label
//       max_length: 200                # longer texts are cropped to this many tokens
//       class_weights: none            # none | balanced (n / (classes * n_c)) | [w1, w2, ...]
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "classifier_head.h"
#include "recur/pipeline/pipeline.h"
#include "recur/pipeline/train_settings.h"
#include "recur/train/task.h"

namespace recur::tasks {

struct ClassifyData {
  std::filesystem::path text, label;
  std::filesystem::path valid_text, valid_label;
  std::int64_t max_length = 200;
  std::string class_weights = "none";       // none | balanced | list
  std::vector<float> class_weight_values;   // with list
  data::BatchLimits batch;
  float label_smoothing = 0.0f;
  std::uint64_t seed = 1;
};

// Reads train.data (above); ConfigError at the key.
ClassifyData parse_classify_data(const TrainSettings& settings, const std::vector<std::string>& labels);

struct LabelledTexts {
  std::vector<std::vector<std::int64_t>> ids;  // ids + eos
  std::vector<std::int64_t> labels;            // class index per text
  std::int64_t empty = 0;                      // blank texts (skipped)
  std::int64_t cropped = 0;
};

// Reads and tokenizes `text` and `label` line by line. A label not in `labels` is an
// IoError naming label_file:line and the label; a line count mismatch names both files.
LabelledTexts load_labelled_texts(const Pipeline& pipeline, const std::filesystem::path& text,
                                  const std::filesystem::path& label, const std::vector<std::string>& labels,
                                  std::int64_t max_length);

class ClassifyTraining final : public train::TrainTask {
 public:
  ClassifyTraining(Pipeline& pipeline, ClassifierHead& head, std::vector<std::string> labels, ClassifyData data);

  nn::Module& model() override { return pipeline_.model(); }
  void start_epoch(std::int64_t epoch) override;
  std::int64_t batches_in_epoch() const override { return static_cast<std::int64_t>(batches_.size()); }
  train::StepLoss forward(std::int64_t index, std::mt19937_64& rng) override;
  std::map<std::string, double> validate() override;
  bool validates() const override { return !valid_.ids.empty(); }
  const char* count_unit() const override { return "texts"; }

  const std::vector<float>& class_weights() const { return weights_; }

 private:
  // The head's logits [B, C] for texts `rows` of `set`; their labels into `targets` [B].
  Tensor logits(const LabelledTexts& set, const std::vector<std::size_t>& rows, Tensor& targets);
  train::StepLoss loss(const LabelledTexts& set, const std::vector<std::size_t>& rows, float smoothing);

  Pipeline& pipeline_;
  ClassifierHead& head_;
  std::vector<std::string> labels_;
  ClassifyData data_;
  LabelledTexts train_, valid_;
  std::vector<float> weights_;  // empty: none
  std::vector<std::vector<std::size_t>> batches_;
};

}  // namespace recur::tasks
