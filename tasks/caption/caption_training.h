// Training a captioning pipeline on `path<TAB>caption` TSV files (paths relative to the
// TSV's folder; an image may have several captions, one line each): the TrainTask the
// generic Trainer drives. Images are decoded once by the pipeline's preprocessor and
// kept in memory as one [N, C, H, W] tensor; captions are tokenized once. Each epoch
// shuffles the pairs (seeded), cuts batches by the token budget and shuffles the batch
// order; each batch's images are augmented (augment.h) from the step's random stream.
// Validation reports the teacher-forcing loss and perplexity, and greedy captions of the
// first `valid_images` valid images, made by the same runner and job as `recur caption`,
// scored against all their valid captions: BLEU-4 (13a), CIDEr-D, exact match (%).
//
//   train:
//     data:
//       train: emoji/train.tsv         # relative to the YAML file
//       valid: emoji/valid.tsv
//       max_length: 24                 # captions with more tokens are skipped
//       valid_images: 1000             # valid images captioned (0 = none)
//       augment: {shift: 4, contrast: 0.1, brightness: 0.1}
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "augment.h"
#include "recur/pipeline/pipeline.h"
#include "recur/pipeline/train_settings.h"
#include "recur/train/task.h"

namespace recur::tasks {

struct CaptionData {
  std::filesystem::path train, valid;
  std::int64_t max_length = 24;
  std::int64_t valid_images = 1000;
  AugmentSettings augment;
  data::BatchLimits batch;
  float label_smoothing = 0.1f;
  std::uint64_t seed = 1;
};

CaptionData parse_caption_data(const TrainSettings& settings);

// Images and their captions, read from a TSV.
struct CaptionCorpus {
  std::filesystem::path file;
  Tensor images;                                   // [N, C, H, W], one per distinct path
  std::vector<std::string> paths;                  // per image, as written
  std::vector<std::vector<std::string>> captions;  // per image: every caption given
  std::vector<std::size_t> pair_image;             // per (image, caption) pair
  std::vector<std::vector<std::int64_t>> pair_ids; // caption ids (no bos / eos)
  std::int64_t skipped = 0;                        // pairs over max_length tokens
};

// Reads a TSV; a line without a TAB, an empty caption or an unusable image is an IoError
// naming file:line.
CaptionCorpus load_caption_corpus(const Pipeline& pipeline, const std::filesystem::path& tsv,
                                  std::int64_t max_length);

class CaptionTraining final : public train::TrainTask {
 public:
  CaptionTraining(Pipeline& pipeline, CaptionData data);

  nn::Module& model() override { return pipeline_.model(); }
  void start_epoch(std::int64_t epoch) override;
  std::int64_t batches_in_epoch() const override { return static_cast<std::int64_t>(batches_.size()); }
  train::StepLoss forward(std::int64_t index, std::mt19937_64& rng) override;
  std::map<std::string, double> validate() override;
  bool validates() const override { return !data_.valid.empty(); }

 private:
  train::StepLoss loss(const CaptionCorpus& corpus, const std::vector<std::size_t>& pairs,
                       std::mt19937_64* augment_rng, float label_smoothing);
  std::map<std::string, double> caption_metrics();

  Pipeline& pipeline_;
  CaptionData data_;
  CaptionCorpus train_;
  CaptionCorpus valid_;
  std::vector<std::vector<std::size_t>> batches_;
};

}  // namespace recur::tasks
