#include "recur/ops/dropout.h"

#include <gtest/gtest.h>

#include "gradcheck.h"
#include "op_test_util.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/linear.h"
#include "recur/ops/reduce.h"
#include "recur/ops/threads.h"

namespace recur {
namespace {

using testing::check_gradients;
using testing::random_tensor;

TEST(OpsDropout, IdentityInEvalAndAtZero) {
  std::mt19937 rng(1);
  Tensor x = random_tensor({3, 4}, rng);
  std::mt19937_64 gen(5);
  EXPECT_TRUE(ops::dropout(x, 0.5f, gen, /*training=*/false).same(x));
  EXPECT_TRUE(ops::dropout(x, 0.0f, gen).same(x));
  EXPECT_THROW(ops::dropout(x, 1.5f, gen), Error);
  EXPECT_THROW(ops::dropout(x, -0.1f, gen), Error);
  for (float v : ops::dropout(x, 1.0f, gen).to_vector()) EXPECT_EQ(v, 0.0f);
}

TEST(OpsDropout, InvertedScalingAndRate) {
  Tensor x = Tensor::full({200, 101}, 2.0f);
  const float p = 0.3f;
  Tensor y = ops::dropout(x, p, std::uint64_t{42});
  std::int64_t dropped = 0;
  for (float v : y.to_vector()) {
    if (v == 0.0f) {
      ++dropped;
    } else {
      EXPECT_FLOAT_EQ(v, 2.0f / (1.0f - p));
    }
  }
  // 20200 Bernoulli(0.3) draws: standard deviation 0.0032 of the rate.
  EXPECT_NEAR(static_cast<double>(dropped) / x.numel(), p, 0.015);
}

TEST(OpsDropout, SeededAndAdvancesTheGenerator) {
  Tensor x = Tensor::ones({5, 7});
  EXPECT_EQ(ops::dropout(x, 0.5f, std::uint64_t{7}).to_vector(),
            ops::dropout(x, 0.5f, std::uint64_t{7}).to_vector());
  std::mt19937_64 gen(7);
  Tensor first = ops::dropout(x, 0.5f, gen);
  Tensor second = ops::dropout(x, 0.5f, gen);
  EXPECT_EQ(first.to_vector(), ops::dropout(x, 0.5f, std::uint64_t{7}).to_vector());
  EXPECT_NE(first.to_vector(), second.to_vector());
}

// The mask is a function of the generator's draw and the element's index alone: one
// thread and two draw the same, and neighbouring elements (which share a 64-bit hash)
// are dropped independently.
TEST(OpsDropout, TheMaskIsTheSameOnAnyNumberOfThreadsAndNeighboursAreIndependent) {
  Tensor x = Tensor::ones({300, 1001});
  const float p = 0.4f;
  std::vector<float> one, two;
  {
    ops::ScopedNumThreads threads(1);
    one = ops::dropout(x, p, std::uint64_t{21}).to_vector();
  }
  {
    ops::ScopedNumThreads threads(2);
    two = ops::dropout(x, p, std::uint64_t{21}).to_vector();
  }
  EXPECT_EQ(one, two);
  // Pairs (i, i + 1) for even i come from one hash, for odd i from two: both kinds must
  // be kept together at the rate (1 - p)^2 (300,300 pairs: standard deviation 0.0009).
  std::int64_t kept = 0, both[2] = {0, 0}, pairs[2] = {0, 0};
  for (std::size_t i = 0; i < one.size(); ++i) {
    kept += one[i] != 0.0f;
    if (i + 1 < one.size()) {
      ++pairs[i % 2];
      both[i % 2] += one[i] != 0.0f && one[i + 1] != 0.0f;
    }
  }
  EXPECT_NEAR(static_cast<double>(kept) / static_cast<double>(one.size()), 1.0 - p, 0.005);
  for (int k = 0; k < 2; ++k) {
    EXPECT_NEAR(static_cast<double>(both[k]) / static_cast<double>(pairs[k]), (1.0 - p) * (1.0 - p), 0.005) << k;
  }
}

TEST(OpsDropout, GradientUsesTheSameMask) {
  std::mt19937 rng(2);
  Tensor x = random_tensor({4, 9}, rng).set_requires_grad(true);
  std::mt19937_64 gen(3);
  Tensor y = ops::dropout(x, 0.4f, gen);
  ops::sum(y).backward();
  for (std::int64_t i = 0; i < x.numel(); ++i) {
    float want = y.item(i) == 0.0f ? 0.0f : 1.0f / 0.6f;
    EXPECT_FLOAT_EQ(x.grad().item(i), want) << i;
  }
  // Finite differences with the mask fixed by a fresh generator of the same seed per call.
  check_gradients(
      [](const auto& v) {
        std::mt19937_64 g(11);
        std::mt19937 wrng(12);
        return ops::sum(ops::mul(ops::dropout(v[0], 0.4f, g), random_tensor({3, 5}, wrng)));
      },
      {random_tensor({3, 5}, rng)});
}

// Weight-drop (DropConnect on hidden-to-hidden weights): the weight's gradient is the
// gradient of the dropped weight, scaled, at kept entries, and exactly 0 at dropped ones.
TEST(OpsDropout, WeightDropPassesGradientOnlyThroughKeptEntries) {
  std::mt19937 rng(4);
  Tensor h = random_tensor({3, 6}, rng);
  Tensor w = random_tensor({5, 6}, rng).set_requires_grad(true);
  std::mt19937_64 gen(9);
  const float p = 0.5f;
  Tensor wd = ops::dropout(w, p, gen);
  ops::sum(ops::tanh(ops::linear(h, wd))).backward();

  // The same loss with the dropped weight as a leaf gives d loss / d wd.
  Tensor leaf = wd.detach().clone().set_requires_grad(true);
  ops::sum(ops::tanh(ops::linear(h, leaf))).backward();
  std::int64_t kept = 0;
  for (std::int64_t i = 0; i < w.numel(); ++i) {
    if (wd.item(i) == 0.0f) {
      EXPECT_EQ(w.grad().item(i), 0.0f) << i;
    } else {
      ++kept;
      EXPECT_NEAR(w.grad().item(i), leaf.grad().item(i) / (1.0f - p), 1e-6f) << i;
      EXPECT_NE(w.grad().item(i), 0.0f) << i;
    }
  }
  EXPECT_GT(kept, 0);
  EXPECT_LT(kept, w.numel());
}

}  // namespace
}  // namespace recur
