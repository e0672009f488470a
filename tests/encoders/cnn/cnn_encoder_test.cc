// The cnn encoder against the PyTorch reference (tests/data/fixtures/caption/: the
// trained captioning model's encoder) in evaluation and training mode, its gradients by
// finite differences, the grid it flattens, bad images and a state-dict round trip.
#include "cnn_encoder.h"

#include <gtest/gtest.h>

#include <random>

#include "caption_fixture.h"
#include "framework/nn/temp_dir.h"
#include "framework/ops/gradcheck.h"
#include "recur/config/section.h"
#include "recur/nn/state_dict.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/reduce.h"
#include "recur/ops/tape.h"

namespace recur::encoders {
namespace {

using recur::testing::expect_close;
using recur::testing::kCaptionFixtures;

class CnnParity : public ::testing::Test {
 protected:
  void SetUp() override {
    auto root = config::load_file(kCaptionFixtures / "pipeline.yaml");
    config::Section section = root.section("encoder");
    ASSERT_EQ(section.get<std::string>("plugin"), "cnn");  // the pipeline's key, read first
    encoder_ = std::make_unique<CnnEncoder>(parse_cnn_settings(section), false);
    recur::testing::load_prefixed(*encoder_, model_, "encoder.");
    encoder_->eval();
    // The first 4 fixture images (the batch the expected tensors were computed for).
    Tensor all = expected_.get("images");
    batch_.data = Tensor::zeros({4, all.dim(1), all.dim(2), all.dim(3)});
    std::copy_n(all.data<float>(), batch_.data.numel(), batch_.data.data<float>());
  }

  safetensors::File model_ = safetensors::File::open(kCaptionFixtures / "model.safetensors");
  safetensors::File expected_ = safetensors::File::open(kCaptionFixtures / "expected.safetensors");
  std::unique_ptr<CnnEncoder> encoder_;
  SourceBatch batch_;
};

TEST_F(CnnParity, EvaluationModeMatchesTorch) {
  autograd::NoGradGuard no_grad;
  Memory m = encoder_->encode(batch_);
  EXPECT_EQ(encoder_->grid(12, 20), (std::vector<std::int64_t>{3, 5}));
  expect_close(m.states, expected_.get("eval.states"), 1e-5, 1e-5, "eval.states");
  expect_close(m.summary, expected_.get("eval.summary"), 1e-5, 1e-5, "eval.summary");
  expect_close(m.mask, Tensor::ones({4, 15}), 0, 0, "mask");
}

TEST_F(CnnParity, TrainingModeUsesBatchStatisticsAndUpdatesRunningOnes) {
  encoder_->train();
  Memory m = encoder_->encode(batch_);
  expect_close(m.states, expected_.get("train.states"), 1e-5, 1e-4, "train.states");
  expect_close(m.summary, expected_.get("train.summary"), 1e-5, 1e-4, "train.summary");
  int buffers = 0;
  for (const auto& [name, t] : encoder_->named_buffers()) {
    expect_close(t, expected_.get("train." + name), 1e-5, 1e-5, name);
    ++buffers;
  }
  EXPECT_EQ(buffers, 6);  // running mean and variance of 3 batch norms
}

TEST_F(CnnParity, TrainingModeGradientsMatchTorch) {
  encoder_->train();
  encoder_->zero_grad();
  Memory m = encoder_->encode(batch_);
  Tensor loss = ops::add(ops::sum(ops::mul(m.states, expected_.get("encoder.r_states").clone())),
                         ops::sum(ops::mul(m.summary, expected_.get("encoder.r_summary").clone())));
  loss.backward();
  int params = 0;
  for (const auto& [name, p] : encoder_->named_parameters()) {
    expect_close(p.grad(), expected_.get("encoder.grad." + name), 1e-4, 1e-4, "grad " + name);
    ++params;
  }
  EXPECT_EQ(params, 9);  // 3 x (conv weight, gamma, beta)
}

// A small encoder with every option the fixture's lacks (avg pooling, a strided stage,
// kernel 1, no pooling, the projection) against central differences, in training mode.
TEST(CnnEncoder, GradientsMatchFiniteDifferences) {
  CnnSettings s;
  s.in_channels = 2;
  s.stages = {{3, 2, 3, 1, 2}, {4, 1, 1, 2, 1}};
  s.pool = CnnPool::avg;
  s.residual = true;
  s.output_size = 3;
  CnnEncoder encoder(s);
  encoder.train();
  std::mt19937 rng(3);
  SourceBatch batch;
  batch.data = recur::testing::random_tensor({3, 2, 6, 5}, rng);
  std::mt19937 weights(4);
  Tensor r = recur::testing::random_tensor({3, 2, 3}, weights);  // states [3, 1 x 2, 3]
  std::vector<Tensor> inputs{batch.data};
  for (const auto& [name, p] : encoder.named_parameters()) inputs.push_back(p);
  recur::testing::GradcheckOptions opt;
  opt.eps = 1e-3f;  // 5e-3 moves a conv output of this batch across the ReLU's kink
  recur::testing::check_gradients(
      [&](const std::vector<Tensor>&) {
        Memory m = encoder.encode(batch);
        return ops::add(ops::sum(ops::mul(m.states, r)), ops::sum(m.summary));
      },
      inputs, opt);
}

TEST(CnnEncoder, GridFollowsStridesAndPoolingRoundedDown) {
  CnnSettings s;
  s.stages = {{4, 1, 5, 2, 2}, {8, 2, 3, 1, 3}};
  CnnEncoder encoder(s);
  // 13 -> conv stride 2: 7 -> pool 2: 3 -> pool 3: 1; 21 -> 11 -> 5 -> 1.
  EXPECT_EQ(encoder.grid(13, 21), (std::vector<std::int64_t>{1, 1}));
  EXPECT_EQ(encoder.grid(24, 40), (std::vector<std::int64_t>{2, 3}));
  autograd::NoGradGuard no_grad;
  encoder.eval();
  for (auto [h, w] : {std::pair<std::int64_t, std::int64_t>{24, 40}, {30, 17}, {12, 12}}) {
    SourceBatch b;
    b.data = Tensor::zeros({1, 3, h, w});
    const auto g = encoder.grid(h, w);
    EXPECT_EQ(encoder.encode(b).states.shape(), (Shape{1, g[0] * g[1], 8})) << h << "x" << w;
  }
}

TEST(CnnEncoder, RefusesImagesItCannotEncode) {
  CnnSettings s;
  s.stages = {{4, 1, 3, 1, 2}, {4, 1, 3, 1, 2}};
  CnnEncoder encoder(s);
  autograd::NoGradGuard no_grad;
  auto encode = [&](Tensor t) {
    SourceBatch b;
    b.data = std::move(t);
    encoder.encode(b);
  };
  EXPECT_THROW(encode(Tensor::zeros({3, 8, 8})), ShapeError);
  EXPECT_THROW(encode(Tensor::zeros({1, 1, 8, 8})), ShapeError);
  EXPECT_THROW(encode(Tensor::zeros({1, 3, 3, 8})), ShapeError);  // grid 0 x 2
  EXPECT_THROW(encode(Tensor::zeros({1, 3, 8, 8}, DType::i64)), ShapeError);
}

TEST(CnnEncoder, StateDictRoundTripKeepsRunningStatistics) {
  CnnSettings s;
  s.stages = {{4, 2, 3, 1, 2}};
  s.residual = true;
  s.output_size = 5;
  CnnEncoder a(s);
  a.train();
  std::mt19937 rng(9);
  SourceBatch b;
  b.data = recur::testing::random_tensor({2, 3, 8, 6}, rng, 0.0f, 2.0f);
  a.encode(b);  // moves the running statistics away from (0, 1)
  recur::testing::TempDir dir;
  nn::save_state_dict(a, dir / "cnn.safetensors");
  CnnEncoder c(s, false);
  nn::load_state_dict(c, dir / "cnn.safetensors");
  const auto want = nn::state_dict(a), got = nn::state_dict(c);
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].first, want[i].first);
    expect_close(got[i].second, want[i].second, 0, 0, got[i].first);
  }
  EXPECT_NE(a.named_buffers()[0].second.item(0), 0.0f);
  autograd::NoGradGuard no_grad;
  a.eval();
  c.eval();
  expect_close(c.encode(b).states, a.encode(b).states, 0, 0, "states after the round trip");
}

}  // namespace
}  // namespace recur::encoders
