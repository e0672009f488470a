// The `train:` section of a pipeline YAML, parsed in one place:
//
//   train:
//     data: {...}                    # read by the task (e.g. seq2seq: source, target,
//                                    # valid_source, valid_target, max_length, valid_bleu_lines)
//     vocab:                         # SentencePiece models trained when absent
//       source_size: 8000
//       target_size: 8000
//       sample_lines: 300000
//     batch_tokens: 4096             # rows x longest sequence per batch
//     max_rows: 128                  # the shipped recipes set 256
//     optimizer: adam                # adam | adamw | sgd
//     lr: 0.002
//     beta1: 0.9
//     beta2: 0.999
//     momentum: 0.9                  # sgd
//     weight_decay: 0.0
//     warmup_steps: 500
//     decay: inverse_sqrt            # constant | inverse_sqrt | exponential | step
//     gamma: 0.5                     # exponential / step
//     decay_steps: 1000
//     plateau_patience: 0            # reduce-on-plateau (0 = off)
//     plateau_factor: 0.5
//     min_lr: 0.0
//     clip_norm: 5.0
//     label_smoothing: 0.1
//     epochs: 10
//     max_steps: 0
//     max_minutes: 0
//     valid_every: 1000
//     log_every: 100
//     metric: bleu                   # loss | ppl | bleu | chrf | rouge_1/2/l | cider | exact | accuracy | macro_f1 | bpc | mae | rmse | smape | mase (forecasting; lower is better)
//     patience: 5
//     seed: 1
//     checkpoint_dir: checkpoints
//     keep_checkpoints: 0            # keep the last N validations' weights (step-*.safetensors) for recur average
//     save_dtype: f32                # f32 | bf16 | f16 for the exported model.safetensors
//     precision: f32                 # f32 | bf16: mixed precision (bf16 linear and recurrent
//                                    # layers, f32 master weights; recur/ops/precision.h)
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

#include "recur/config/section.h"
#include "recur/core/dtype.h"
#include "recur/data/batching.h"
#include "recur/ops/precision.h"
#include "recur/train/trainer.h"

namespace recur {

struct VocabSettings {
  std::int64_t source_size = 8000;
  std::int64_t target_size = 8000;
  std::int64_t sample_lines = 300000;
};

struct TrainSettings {
  std::optional<config::Section> data;  // train.data: the task parses it
  VocabSettings vocab;
  train::TrainerOptions trainer;
  data::BatchLimits batch;              // batch_tokens, max_rows
  float label_smoothing = 0.1f;
  std::uint64_t seed = 1;
  std::optional<DType> save_dtype;
  ops::Precision precision = ops::Precision::f32;  // of the passes that record gradients
};

TrainSettings parse_train_settings(const config::Section& train);

}  // namespace recur
