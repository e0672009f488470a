// The `cnn` image encoder: stages of conv -> batch norm -> ReLU blocks, each stage ending
// in a pooling layer, over a batch of images [B, C, H, W]. Memory {states [B, S, F]: the
// final feature grid GH x GW flattened row-major to S = GH * GW positions (so attention
// decoders attend over image regions unchanged), mask all ones, summary [B, F]: the
// grid's average}, F = the last stage's channels (or `output_size` after a linear
// projection of each position).
//
// Pipeline settings:
//   encoder:
//     plugin: cnn
//     in_channels: 3            # the preprocessor's channels
//     stages:                   # at least one
//       - {channels: 32, blocks: 1, kernel: 3, stride: 1, pool: 2}
//       - {channels: 64, blocks: 2}            # kernel 3, stride 1, pool 2 by default
//     pool: max                 # max | avg: the pooling after each stage with pool > 1
//     residual: false           # blocks after a stage's first: relu(x + bn(conv(x)))
//     output_size: 0            # > 0: project each grid position to this size (+ tanh)
//     dropout: 0.0              # on the memory states, training only
//     seed: 1                   # initialisation (He normal for convolutions)
// A block's convolution pads kernel / 2 on each side and has no bias (the batch norm's
// beta is the bias); only a stage's first block strides.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "recur/encoder.h"
#include "recur/nn/batch_norm2d.h"
#include "recur/nn/conv_batch_norm.h"
#include "recur/nn/conv2d.h"
#include "recur/nn/linear.h"
#include "recur/nn/module_list.h"
#include "recur/plugin/component.h"

namespace recur::encoders {

struct CnnStage {
  std::int64_t channels = 64;
  std::int64_t blocks = 1;
  std::int64_t kernel = 3;
  std::int64_t stride = 1;
  std::int64_t pool = 2;  // pooling window and stride after the stage; 1 = none
};

enum class CnnPool { max, avg };

struct CnnSettings {
  std::int64_t in_channels = 3;
  std::vector<CnnStage> stages;
  CnnPool pool = CnnPool::max;
  bool residual = false;
  std::int64_t output_size = 0;
  float dropout = 0.0f;
  std::uint64_t seed = 1;
};

class CnnEncoder final : public Encoder {
 public:
  // Parameters are initialised from settings.seed, or left as constructed when
  // `initialise` is false (weights are loaded next).
  explicit CnnEncoder(const CnnSettings& settings, bool initialise = true);
  ~CnnEncoder() override;

  // batch.data: f32 images [B, in_channels, H, W]; batch.lengths is ignored.
  Memory encode(const SourceBatch& batch) override;
  std::int64_t memory_size() const override;
  std::int64_t summary_size() const override { return memory_size(); }

  // The feature grid [GH, GW] of an H x W image (what S flattens).
  std::vector<std::int64_t> grid(std::int64_t height, std::int64_t width) const;
  const CnnSettings& settings() const { return settings_; }

 private:
  // relu(batch norm(conv(x)) [+ residual]).
  class Block final : public nn::Module {
   public:
    explicit Block(const nn::Conv2dSettings& conv);
    // x, residual (optional, the result's shape) and the result stored [N, H, W, C]
    // (channels_last). Inference folds the batch norm into the convolution, which also
    // adds the residual and applies the ReLU as it writes its output.
    Tensor forward(const Tensor& x, const Tensor& residual = {});
    nn::Conv2d conv;
    nn::BatchNorm2d norm;
    nn::FoldedConvBatchNorm folded{conv, norm};
  };
  Tensor run_stage(std::size_t stage, Tensor x);

  CnnSettings settings_;
  nn::ModuleList stages_;                                  // "stages.<i>.<j>"
  std::vector<std::unique_ptr<nn::ModuleList>> stage_lists_;
  std::vector<std::vector<std::unique_ptr<Block>>> blocks_;  // per stage
  std::unique_ptr<nn::Linear> projection_;
};

// Parses the settings above; ConfigError naming file:line and key if wrong.
CnnSettings parse_cnn_settings(const config::Section& section);
// The factory registered as (encoder, cnn).
std::unique_ptr<Encoder> cnn_factory(const config::Section& section, const BuildContext& context);

}  // namespace recur::encoders
