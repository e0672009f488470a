#include "cnn_encoder.h"

#include <string>

#include "recur/ops/dropout.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/pool.h"
#include "recur/ops/reduce.h"
#include "recur/ops/shape.h"
#include "recur/ops/tape.h"

namespace recur::encoders {

namespace {

std::int64_t last_channels(const CnnSettings& s) { return s.stages.back().channels; }

}  // namespace

CnnEncoder::Block::Block(const nn::Conv2dSettings& c) : conv(c), norm(c.out_channels) {
  register_module("conv", conv);
  register_module("norm", norm);
}

Tensor CnnEncoder::Block::forward(const Tensor& x, const Tensor& residual) {
  if (!training() && !autograd::needs_grad({&x, &residual, &conv.weight(), &norm.weight(), &norm.bias()})) {
    return folded.forward_relu(x, residual);
  }
  Tensor y = norm.forward(conv.forward(x), true);
  return ops::relu(residual.defined() ? ops::add(residual, y) : y);
}

CnnEncoder::CnnEncoder(const CnnSettings& settings, bool initialise) : settings_(settings) {
  if (settings_.stages.empty()) throw ShapeError("cnn: at least one stage is needed");
  nn::init::Generator gen(settings_.seed);
  std::int64_t channels = settings_.in_channels;
  register_module("stages", stages_);
  blocks_.resize(settings_.stages.size());
  for (std::size_t i = 0; i < settings_.stages.size(); ++i) {
    const CnnStage& stage = settings_.stages[i];
    stage_lists_.push_back(std::make_unique<nn::ModuleList>());
    stages_.append(*stage_lists_.back());
    for (std::int64_t j = 0; j < stage.blocks; ++j) {
      nn::Conv2dSettings c;
      c.in_channels = channels;
      c.out_channels = stage.channels;
      c.kernel = {stage.kernel, stage.kernel};
      c.options.padding = {stage.kernel / 2, stage.kernel / 2};
      const std::int64_t stride = j == 0 ? stage.stride : 1;
      c.options.stride = {stride, stride};
      c.options.channels_last = true;
      c.bias = false;
      auto block = std::make_unique<Block>(c);
      stage_lists_.back()->append(*block);
      if (initialise) block->conv.reset_parameters_relu(gen);
      blocks_[i].push_back(std::move(block));
      channels = stage.channels;
    }
  }
  if (settings_.output_size > 0) {
    projection_ = std::make_unique<nn::Linear>(channels, settings_.output_size);
    register_module("projection", *projection_);
    if (initialise) projection_->reset_parameters(gen);
  }
}

CnnEncoder::~CnnEncoder() = default;

std::int64_t CnnEncoder::memory_size() const {
  return settings_.output_size > 0 ? settings_.output_size : last_channels(settings_);
}

std::vector<std::int64_t> CnnEncoder::grid(std::int64_t height, std::int64_t width) const {
  std::vector<std::int64_t> g{height, width};
  for (const CnnStage& stage : settings_.stages) {
    const std::int64_t pad = stage.kernel / 2;
    for (auto& d : g) {
      d = (d + 2 * pad - stage.kernel) / stage.stride + 1;  // the first block; the rest keep d
      d = d / stage.pool;                                   // pooling, rounded down
    }
  }
  return g;
}

Tensor CnnEncoder::run_stage(std::size_t stage, Tensor x) {
  const CnnStage& s = settings_.stages[stage];
  for (std::size_t j = 0; j < blocks_[stage].size(); ++j) {
    x = blocks_[stage][j]->forward(x, settings_.residual && j > 0 ? x : Tensor());
  }
  if (s.pool > 1) {
    ops::Pool2dOptions p;
    p.kernel = {s.pool, s.pool};
    p.channels_last = true;
    x = settings_.pool == CnnPool::max ? ops::max_pool2d(x, p) : ops::avg_pool2d(x, p);
  }
  return x;
}

Memory CnnEncoder::encode(const SourceBatch& batch) {
  const Tensor& images = batch.data;
  if (!images.defined() || images.dtype() != DType::f32 || images.rank() != 4 ||
      images.dim(1) != settings_.in_channels || images.numel() == 0) {
    throw ShapeError("cnn: images must be a non-empty f32 [batch, " +
                     std::to_string(settings_.in_channels) + ", height, width] tensor, got " +
                     (images.defined() ? std::string(dtype_name(images.dtype())) + " " +
                                             shape_str(images.shape())
                                       : std::string("undefined")));
  }
  const std::vector<std::int64_t> g = grid(images.dim(2), images.dim(3));
  if (g[0] < 1 || g[1] < 1) {
    throw ShapeError("cnn: images of " + std::to_string(images.dim(2)) + "x" +
                     std::to_string(images.dim(3)) + " pixels are too small for " +
                     std::to_string(settings_.stages.size()) + " stages");
  }
  // The stages compute on [N, H, W, C] (channels last: oneDNN's convolutions, batch
  // norms and pooling then need no reorder between layouts), which is already the grid
  // of positions the decoder attends to.
  Tensor x = ops::permute(images, {0, 2, 3, 1});
  for (std::size_t i = 0; i < blocks_.size(); ++i) x = run_stage(i, x);
  const std::int64_t b = x.dim(0), s = x.dim(1) * x.dim(2), f = x.dim(3);
  Tensor states = ops::reshape(x, {b, s, f});
  if (projection_) states = ops::tanh(projection_->forward(states));
  Memory m;
  m.states = ops::dropout(states, settings_.dropout, rng(), training());
  m.mask = Tensor::ones({b, s});
  m.summary = ops::mean(m.states, 1);
  return m;
}

}  // namespace recur::encoders
