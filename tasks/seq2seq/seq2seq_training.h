// Training a seq2seq pipeline (translation, summarization) on a parallel corpus: the
// TrainTask the generic Trainer drives. Pairs are tokenized once and kept in memory;
// each epoch sorts them by length with a seeded shuffle of ties, cuts batches by a token
// budget and shuffles the batch order. Validation reports loss and perplexity
// (teacher forcing, no label smoothing) and greedy BLEU / chrF / ROUGE-1/2/L on the
// valid split, decoded by the same runner and job as `recur translate`.
//
//   train:
//     data:
//       source: data/train.en        # relative to the YAML file
//       target: data/train.fr
//       valid_source: data/valid.en
//       valid_target: data/valid.fr
//       max_length: 100              # skip pairs with more tokens on either side
//       valid_bleu_lines: 500        # valid lines decoded for BLEU / chrF (0 = none)
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "recur/pipeline/pipeline.h"
#include "recur/pipeline/train_settings.h"
#include "recur/train/task.h"
#include "extended_vocabulary.h"

namespace recur::tasks {

struct Seq2SeqData {
  std::filesystem::path source, target;              // training pairs, line by line
  std::filesystem::path valid_source, valid_target;  // validation pairs
  std::int64_t max_length = 100;      // pairs with more tokens on either side are skipped
  std::int64_t valid_bleu_lines = 500;  // valid lines decoded for BLEU (0 = none)
  data::BatchLimits batch;
  float label_smoothing = 0.1f;
  std::uint64_t seed = 1;
  bool extended_vocabulary = true;  // the task's extended_vocabulary (extended_vocabulary.h)
};

// Reads train.data (above) and the shared settings it needs; ConfigError at the key.
Seq2SeqData parse_seq2seq_data(const TrainSettings& settings);

struct PairCorpus {
  std::vector<std::vector<std::int64_t>> source;  // ids + eos
  std::vector<std::vector<std::int64_t>> target;  // ids (no bos/eos); a copied OOV: its extended id
  std::vector<std::vector<std::int64_t>> copy_source;  // with an extended vocabulary: source
                                                        // ids with OOVs as extended ids (empty:
                                                        // the pair's source has none)
  std::vector<std::string> target_text;            // raw target lines (for BLEU)
  std::vector<std::string> source_text;
  std::int64_t skipped = 0;                         // empty or over-long pairs
};

// Reads and tokenizes a parallel corpus; lines are paired by number (a count mismatch is
// an IoError naming both files). With `extended`, sources with OOV words get copy_source
// and their targets' copies of them extended ids.
PairCorpus load_pairs(const Pipeline& pipeline, const std::filesystem::path& source,
                      const std::filesystem::path& target, std::int64_t max_length,
                      const ExtendedVocabulary* extended = nullptr);

class Seq2SeqTraining final : public train::TrainTask {
 public:
  Seq2SeqTraining(Pipeline& pipeline, Seq2SeqData data);

  nn::Module& model() override { return pipeline_.model(); }
  void start_epoch(std::int64_t epoch) override;
  std::int64_t batches_in_epoch() const override { return static_cast<std::int64_t>(batches_.size()); }
  train::StepLoss forward(std::int64_t index, std::mt19937_64& rng) override;
  std::map<std::string, double> validate() override;
  bool validates() const override { return !valid_.source.empty(); }

  const PairCorpus& train_pairs() const { return train_; }
  const PairCorpus& valid_pairs() const { return valid_; }

 private:
  Pipeline& pipeline_;
  Seq2SeqData data_;
  PairCorpus train_;
  PairCorpus valid_;
  std::vector<std::vector<std::size_t>> batches_;
  bool source_ids_ = false;  // a joint vocabulary: the decoder may copy source ids
  std::unique_ptr<ExtendedVocabulary> extended_;  // null when not in use
};

// Teacher-forcing loss of pairs `rows` of `corpus`: returns the loss tensor and the
// count of target tokens (eos included). `source_ids`: the memory gets the source ids
// (for copy attention; only when they are target ids too, see recur/text/joint_vocabulary.h),
// the extended ones where the corpus has them.
train::StepLoss seq2seq_loss(Pipeline& pipeline, const PairCorpus& corpus,
                             const std::vector<std::size_t>& rows, float label_smoothing,
                             bool source_ids);

}  // namespace recur::tasks
