// PyTorch parity of the forecasting model (scripts/fixtures/make_forecast_fixtures.py):
// every cell, uni- and bidirectional, direct and autoregressive heads and the three
// losses; the outputs and the loss within 1e-5, the gradients of every parameter within
// 1e-4, and the autoregressive head's generation fed its own median.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "forecast_loss.h"
#include "forecast_model.h"
#include "framework/ops/fixture_reader.h"
#include "framework/ops/rnn_test_util.h"
#include "recur/nn/rnn.h"

namespace recur::tasks {
namespace {

using recur::testing::expect_close;
using recur::testing::FixtureFile;

class ForecastParity : public ::testing::TestWithParam<std::string> {};

ForecasterSettings settings_of(const FixtureFile& f) {
  ForecasterSettings s;
  s.cell = *nn::rnn_cell_of(f.meta("cell"));
  s.layers = std::stoll(f.meta("layers"));
  s.hidden_size = std::stoll(f.meta("hidden_size"));
  s.bidirectional = f.meta("bidirectional") == "1";
  s.head = f.meta("head") == "direct" ? ForecastHead::direct : ForecastHead::autoregressive;
  const std::string loss = f.meta("loss");
  s.loss = loss == "mse" ? ForecastLoss::mse : loss == "mae" ? ForecastLoss::mae : ForecastLoss::quantile;
  std::istringstream levels(f.meta("quantiles"));
  for (std::string q; std::getline(levels, q, ',');) s.quantiles.push_back(std::stof(q));
  s.horizon = std::stoll(f.meta("horizon"));
  s.dropout = 0.0f;
  return s;
}

TEST_P(ForecastParity, MatchesPyTorch) {
  FixtureFile f(std::string(RECUR_TEST_DATA_DIR) + "/fixtures/forecast/" + GetParam() + ".safetensors");
  const ForecasterSettings s = settings_of(f);
  const Tensor x = f.f32("x"), d = f.f32("decoder_inputs");
  ForecastModel model(s, x.dim(2), d.dim(2), 1);
  for (auto& [name, t] : model.named_parameters()) t.copy_from(f.f32(name));
  model.train();  // dropout 0: training mode changes nothing but records the tape

  Tensor out = model.forward(x, d);
  expect_close(out, f.f32("outputs"), 1e-5f, "outputs");
  Tensor loss = forecast_loss(s.loss, out, f.f32("targets"), s.quantiles);
  EXPECT_NEAR(loss.item(), f.f32("loss").item(), 1e-5f);
  loss.backward();
  for (const auto& [name, p] : model.named_parameters()) {
    expect_close(p.grad(), f.f32("grad." + name), 1e-4f, "gradient of " + name);
  }
  if (f.contains("generated")) {
    model.eval();
    expect_close(model.generate(x, d), f.f32("generated"), 1e-5f, "generated");
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, ForecastParity,
                         ::testing::Values("lstm_bi_autoregressive_quantile", "gru_direct_mse", "rnn_bi_direct_mae",
                                           "gru_autoregressive_mse"));

}  // namespace
}  // namespace recur::tasks
