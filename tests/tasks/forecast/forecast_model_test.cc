#include "forecast_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <random>

#include "framework/ops/gradcheck.h"
#include "recur/nn/state_dict.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/reduce.h"
#include "recur/ops/tape.h"

namespace recur::tasks {
namespace {

ForecasterSettings settings(ops::RnnCell cell, ForecastHead head, bool bidirectional) {
  ForecasterSettings s;
  s.cell = cell;
  s.head = head;
  s.bidirectional = bidirectional;
  s.hidden_size = 5;
  s.layers = 2;
  s.context = 4;
  s.horizon = 3;
  s.loss = ForecastLoss::quantile;
  s.quantiles = {0.1f, 0.5f, 0.9f};
  return s;
}

TEST(ForecastModel, ShapesForEveryCellAndHead) {
  std::mt19937 rng(1);
  for (ops::RnnCell cell : {ops::RnnCell::lstm, ops::RnnCell::gru, ops::RnnCell::tanh}) {
    for (ForecastHead head : {ForecastHead::direct, ForecastHead::autoregressive}) {
      for (bool bi : {false, true}) {
        ForecastModel m(settings(cell, head, bi), 3, 2, 2);
        const Tensor x = testing::random_tensor({2, 4, 3}, rng);
        const Tensor d = testing::random_tensor({2, 3, 2}, rng);
        EXPECT_EQ(m.forward(x, d).shape(), (Shape{2, 3, 3}));
        m.eval();
        EXPECT_EQ(m.generate(x, d).shape(), (Shape{2, 3, 3}));
      }
    }
  }
}

// Generating feeds the point forecast back: with decoder inputs whose target column
// holds those forecasts, teacher forcing gives the same outputs.
TEST(ForecastModel, GenerateIsTeacherForcingOnItsOwnForecasts) {
  std::mt19937 rng(2);
  ForecastModel m(settings(ops::RnnCell::lstm, ForecastHead::autoregressive, true), 3, 2, 1);
  m.eval();
  const Tensor x = testing::random_tensor({2, 4, 3}, rng);
  Tensor d = testing::random_tensor({2, 3, 2}, rng);
  const Tensor g = m.generate(x, d);
  for (std::int64_t r = 0; r < 2; ++r) {
    for (std::int64_t k = 1; k < 3; ++k) d.data<float>()[(r * 3 + k) * 2] = g.data<float>()[(r * 3 + k - 1) * 3 + 1];
  }
  autograd::NoGradGuard no_grad;
  const std::vector<float> f = m.forward(x, d).to_vector(), want = g.to_vector();
  ASSERT_EQ(f.size(), want.size());
  for (std::size_t i = 0; i < f.size(); ++i) EXPECT_NEAR(f[i], want[i], 1e-5f) << i;
}

TEST(ForecastModel, ScalersSurviveASaveInBf16Exactly) {
  ForecastModel m(settings(ops::RnnCell::gru, ForecastHead::direct, false), 3, 2, 2);
  const std::vector<data::Scaler> fitted{data::Scaler(data::ScalerKind::standard, 351.123456789, 12.3456789),
                                         data::Scaler(data::ScalerKind::log, -0.1, 3.0)};
  m.set_scalers(fitted);
  const auto path = std::filesystem::temp_directory_path() / "forecast_model_test.safetensors";
  nn::SaveOptions o;
  o.float_dtype = DType::bf16;
  nn::save_state_dict(m, path, o);
  ForecastModel loaded(settings(ops::RnnCell::gru, ForecastHead::direct, false), 3, 2, 2);
  nn::load_state_dict(loaded, path);
  std::filesystem::remove(path);
  const auto back = loaded.scalers({data::ScalerKind::standard, data::ScalerKind::log});
  EXPECT_EQ(back[0].shift(), 351.123456789);
  EXPECT_EQ(back[0].scale(), 12.3456789);
  EXPECT_EQ(back[1].kind(), data::ScalerKind::log);
  EXPECT_EQ(back[1].shift(), -0.1);
}

TEST(ForecastModel, GradientsReachTheInputsThroughBothHeads) {
  std::mt19937 rng(4);
  for (ForecastHead head : {ForecastHead::direct, ForecastHead::autoregressive}) {
    ForecasterSettings s = settings(ops::RnnCell::gru, head, true);
    s.layers = 1;
    ForecastModel m(s, 2, 2, 1);
    testing::GradcheckOptions o;
    if (head == ForecastHead::direct) o.skip = {1};  // the direct head reads no decoder inputs
    testing::check_gradients(
        [&](const std::vector<Tensor>& in) { return ops::sum(ops::tanh(m.forward(in[0], in[1]))); },
        {testing::random_tensor({2, 4, 2}, rng), testing::random_tensor({2, 3, 2}, rng)}, o);
  }
}

}  // namespace
}  // namespace recur::tasks
