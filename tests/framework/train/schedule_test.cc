#include "recur/train/schedule.h"

#include <gtest/gtest.h>

#include <cmath>

#include "recur/train/clipping.h"
#include "recur/train/early_stopping.h"

namespace recur::train {
namespace {

TEST(Schedule, WarmupThenInverseSqrt) {
  ScheduleOptions o;
  o.lr = 1.0f;
  o.warmup_steps = 100;
  o.decay = Decay::inverse_sqrt;
  LrSchedule s(o);
  EXPECT_FLOAT_EQ(s.lr(1), 0.01f);
  EXPECT_FLOAT_EQ(s.lr(50), 0.5f);
  EXPECT_FLOAT_EQ(s.lr(100), 1.0f);
  EXPECT_FLOAT_EQ(s.lr(400), 0.5f);
}

TEST(Schedule, ExponentialAndStepDecay) {
  ScheduleOptions o;
  o.lr = 1.0f;
  o.decay = Decay::exponential;
  o.gamma = 0.5f;
  o.decay_steps = 10;
  EXPECT_NEAR(LrSchedule(o).lr(15), std::pow(0.5, 1.5), 1e-6);
  o.decay = Decay::step;
  EXPECT_FLOAT_EQ(LrSchedule(o).lr(15), 0.5f);
  EXPECT_FLOAT_EQ(LrSchedule(o).lr(9), 1.0f);
}

TEST(Schedule, ReduceOnPlateau) {
  ScheduleOptions o;
  o.lr = 1.0f;
  o.plateau_patience = 2;
  o.plateau_factor = 0.1f;
  o.min_lr = 0.005f;
  LrSchedule s(o);
  s.on_validation(true);
  s.on_validation(false);
  EXPECT_FLOAT_EQ(s.lr(5), 1.0f);
  s.on_validation(false);
  EXPECT_FLOAT_EQ(s.lr(5), 0.1f);
  for (int i = 0; i < 4; ++i) s.on_validation(false);
  EXPECT_FLOAT_EQ(s.lr(5), 0.005f);  // floored at min_lr
}

TEST(Clipping, ScalesToMaxNormAndReportsNonFinite) {
  Tensor a = Tensor::zeros({2}), b = Tensor::zeros({1});
  a.set_grad(Tensor::from({2}, {3, 0}));
  b.set_grad(Tensor::from({1}, {4}));
  EXPECT_NEAR(clip_grad_norm({a, b}, 1.0), 5.0, 1e-9);
  EXPECT_NEAR(global_grad_norm({a, b}), 1.0, 1e-5);
  EXPECT_NEAR(a.grad().item(0), 0.6f, 1e-5);
  b.set_grad(Tensor::from({1}, {NAN}));
  EXPECT_FALSE(std::isfinite(clip_grad_norm({a, b}, 1.0)));
  EXPECT_NEAR(a.grad().item(0), 0.6f, 1e-5);  // untouched
}

TEST(EarlyStopping, PatienceOnHigherIsBetter) {
  EarlyStopping e(true, 2);
  EXPECT_TRUE(e.update(10));
  EXPECT_FALSE(e.update(9));
  EXPECT_FALSE(e.should_stop());
  EXPECT_TRUE(e.update(11));
  EXPECT_FALSE(e.update(11));
  EXPECT_FALSE(e.update(5));
  EXPECT_TRUE(e.should_stop());
  EXPECT_EQ(e.best(), 11);
}

}  // namespace
}  // namespace recur::train
