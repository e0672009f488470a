#include "forecast_loss.h"

#include <gtest/gtest.h>

#include <random>

#include "framework/ops/gradcheck.h"
#include "recur/core/error.h"

namespace recur::tasks {
namespace {

// One window, two steps: targets 1, 2; outputs 3, 1.5 (errors y - f = -2, 0.5).
TEST(ForecastLoss, HandComputedValues) {
  const Tensor y = Tensor::from({1, 2}, {1, 2});
  const Tensor f = Tensor::from({1, 2, 1}, {3, 1.5f});
  EXPECT_FLOAT_EQ(forecast_loss(ForecastLoss::mse, f, y).item(), (4.0f + 0.25f) / 2);
  EXPECT_FLOAT_EQ(forecast_loss(ForecastLoss::mae, f, y).item(), (2.0f + 0.5f) / 2);
  // Quantiles 0.1 and 0.9 of step 1: 0 and 2 (e = 1, -1); of step 2: 2, 2 (e = 0, 0).
  // Pinball: 0.1 * 1, 0.1 * 1 (= (1 - 0.9) * 1), 0, 0 -> mean 0.05.
  const Tensor q = Tensor::from({1, 2, 2}, {0, 2, 2, 2});
  EXPECT_FLOAT_EQ(forecast_loss(ForecastLoss::quantile, q, y, {0.1f, 0.9f}).item(), 0.05f);
  // The median's pinball is half the absolute error.
  EXPECT_FLOAT_EQ(forecast_loss(ForecastLoss::quantile, f, y, {0.5f}).item(), 0.5f * 1.25f);
  EXPECT_THROW(forecast_loss(ForecastLoss::quantile, f, y, {0.1f, 0.9f}), ShapeError);
  EXPECT_THROW(forecast_loss(ForecastLoss::mse, Tensor::from({2, 1, 1}, {1, 2}), y), ShapeError);
}

TEST(ForecastLoss, GradientsByFiniteDifferences) {
  std::mt19937 rng(3);
  const Tensor y = testing::random_tensor({3, 4}, rng);
  for (ForecastLoss loss : {ForecastLoss::mse, ForecastLoss::mae, ForecastLoss::quantile}) {
    const std::vector<float> levels = loss == ForecastLoss::quantile ? std::vector<float>{0.2f, 0.5f, 0.7f}
                                                                      : std::vector<float>{};
    const Shape shape{3, 4, loss == ForecastLoss::quantile ? 3 : 1};
    testing::GradcheckOptions o;
    o.eps = 1e-3f;  // the kinks of |e| are further away than this from random points
    testing::check_gradients([&](const std::vector<Tensor>& x) { return forecast_loss(loss, x[0], y, levels); },
                             {testing::random_tensor(shape, rng, -2.0f, 2.0f)}, o);
  }
}

}  // namespace
}  // namespace recur::tasks
