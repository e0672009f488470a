// Training a language model on long text: truncated backpropagation through time with
// the recurrent state carried from chunk to chunk (PyTorch's word_language_model, the
// char-rnn recipe). The training text becomes one token stream (token_stream.h), cut
// into `batch_size` rows read `bptt` tokens at a time; each epoch starts the rows at a
// seeded offset in [0, bptt) so chunk boundaries move between epochs. The carried state
// is zero at the start of an epoch and saved in checkpoints, so --resume is exact.
// Validation scores the whole validation text exactly (one row, state carried):
// loss (nats per token), ppl and bpc (bits per character).
//
//   train:
//     data:
//       text: data/train.txt        # relative to the YAML file
//       valid_text: data/valid.txt  # optional
//       batch_size: 32              # rows read in parallel
//       bptt: 128                   # tokens per chunk (backpropagation length)
//     metric: bpc                   # loss | ppl | bpc
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "recur/pipeline/pipeline.h"
#include "recur/pipeline/token_stream.h"
#include "recur/pipeline/train_settings.h"
#include "recur/train/task.h"

namespace recur::tasks {

struct LmData {
  std::filesystem::path text, valid_text;
  std::int64_t batch_size = 32;
  std::int64_t bptt = 128;
  float label_smoothing = 0.0f;
  std::uint64_t seed = 1;
};

// Reads train.data (above); ConfigError at the key. train.label_smoothing applies.
LmData parse_lm_data(const TrainSettings& settings);

class LmTraining final : public train::TrainTask {
 public:
  LmTraining(Pipeline& pipeline, LmData data);

  nn::Module& model() override { return pipeline_.model(); }
  void start_epoch(std::int64_t epoch) override;
  std::int64_t batches_in_epoch() const override { return chunks_->size(); }
  train::StepLoss forward(std::int64_t index, std::mt19937_64& rng) override;
  std::map<std::string, double> validate() override;
  bool validates() const override { return !valid_.ids.empty(); }
  std::vector<std::pair<std::string, Tensor>> carried_state() const override;
  void restore_carried_state(const std::vector<std::pair<std::string, Tensor>>& state) override;

 private:
  Pipeline& pipeline_;
  LmData data_;
  TokenStream train_, valid_;
  std::unique_ptr<StreamChunks> chunks_;
  std::vector<Tensor> carry_;  // the decoder's state after the last chunk; empty: zeros
};

}  // namespace recur::tasks
