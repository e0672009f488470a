#include "recur/ops/loss.h"

#include <gtest/gtest.h>

#include <cmath>

#include "gradcheck.h"
#include "op_test_util.h"
#include "on_each_isa.h"

namespace recur {
namespace {

using ops::detail::SmallRnnIsa;
using testing::check_gradients;
using testing::random_tensor;

Tensor targets_of(std::vector<std::int64_t> v) {
  return Tensor::from<std::int64_t>({static_cast<std::int64_t>(v.size())}, v);
}

// torch.nn.functional.cross_entropy written out in double: per row
// (1-s) * -log p[t] + s * mean_v(-log p[v]), ignored rows skipped, mean over the rest.
double ref_loss(const Tensor& logits, const std::vector<std::int64_t>& t,
                const ops::CrossEntropyOptions& o) {
  std::int64_t n = logits.dim(0), v = logits.dim(1), count = 0;
  double total = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    if (t[i] == o.ignore_index) continue;
    ++count;
    double mx = -INFINITY, z = 0, all = 0;
    for (std::int64_t k = 0; k < v; ++k) mx = std::max(mx, double(logits.item(i * v + k)));
    for (std::int64_t k = 0; k < v; ++k) z += std::exp(logits.item(i * v + k) - mx);
    auto logp = [&](std::int64_t k) { return logits.item(i * v + k) - mx - std::log(z); };
    for (std::int64_t k = 0; k < v; ++k) all -= logp(k);
    total += (1 - o.label_smoothing) * -logp(t[i]) + o.label_smoothing * all / v;
  }
  return o.reduction == ops::Reduction::mean && count ? total / count : total;
}

const ops::CrossEntropyOptions kOptions[] = {
    {},
    {.ignore_index = 0},
    {.ignore_index = 0, .label_smoothing = 0.1f},
    {.ignore_index = 0, .label_smoothing = 0.1f, .reduction = ops::Reduction::sum},
    {.label_smoothing = 1.0f},
};

TEST(OpsCrossEntropy, MatchesLoops) {
  std::mt19937 rng(1);
  Tensor logits = random_tensor({6, 11}, rng, -3.0f, 3.0f);
  std::vector<std::int64_t> t{3, 0, 10, 0, 7, 1};
  for (const auto& o : kOptions) {
    SCOPED_TRACE(std::to_string(o.ignore_index) + " " + std::to_string(o.label_smoothing));
    auto r = ops::cross_entropy_with_count(logits, targets_of(t), o);
    EXPECT_EQ(r.loss.shape(), Shape{});
    // The row kernels' exp is a polynomial within 1e-7 relative; f32 sums: 1e-5.
    EXPECT_NEAR(r.loss.item(), ref_loss(logits, t, o), 1e-5 * (1 + std::abs(r.loss.item())));
    EXPECT_EQ(r.count, o.ignore_index == 0 ? 4 : 6);
  }
  Tensor one = random_tensor({1, 5}, rng);
  EXPECT_NEAR(ops::cross_entropy(one, targets_of({4})).item(), ref_loss(one, {4}, {}), 1e-5);
}

// The row kernels on each instruction set, and in plain C++ where the CPU has neither.
class OpsCrossEntropyIsa : public testing::OnEachIsa {};

// Large enough for the threaded row loops; the gradient against its closed form
// (softmax - target distribution) / count computed in double. Row length 257: whole
// vector blocks and a tail on either instruction set.
TEST_P(OpsCrossEntropyIsa, LargeBatchMatchesLoops) {
  testing::ThreadCount threads(2);
  std::mt19937 rng(3);
  const std::int64_t n = 301, v = 257;
  Tensor logits = random_tensor({n, v}, rng, -4.0f, 4.0f).set_requires_grad(true);
  std::vector<std::int64_t> t(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i)
    t[static_cast<std::size_t>(i)] = i % 5 == 0 ? -1 : (i * 31) % v;
  ops::CrossEntropyOptions o{.ignore_index = -1, .label_smoothing = 0.05f};
  Tensor loss = ops::cross_entropy(logits, targets_of(t), o);
  EXPECT_NEAR(loss.item(), ref_loss(logits, t, o), 1e-5 * (1 + std::abs(loss.item())));
  loss.backward();
  const double count = n - (n + 4) / 5;
  for (std::int64_t i = 0; i < n; ++i) {
    double mx = -INFINITY, z = 0;
    for (std::int64_t k = 0; k < v; ++k) mx = std::max(mx, double(logits.item(i * v + k)));
    for (std::int64_t k = 0; k < v; ++k) z += std::exp(logits.item(i * v + k) - mx);
    for (std::int64_t k = 0; k < v; ++k) {
      double want = 0;
      if (t[static_cast<std::size_t>(i)] != -1) {
        double q = o.label_smoothing / v + (k == t[static_cast<std::size_t>(i)] ? 0.95 : 0.0);
        want = (std::exp(logits.item(i * v + k) - mx) / z - q) / count;
      }
      ASSERT_NEAR(logits.grad().item(i * v + k), want, 1e-7) << i << " " << k;
    }
  }
}

// A vocabulary's worth of classes with label smoothing: the loss sums 8,000 log-probs a
// row in f32 lanes.
TEST_P(OpsCrossEntropyIsa, VocabularyRowsMatchLoops) {
  std::mt19937 rng(5);
  const std::int64_t n = 4, v = 8000;
  Tensor logits = random_tensor({n, v}, rng, -12.0f, 9.0f);
  const std::vector<std::int64_t> t{17, 7999, 0, 4096};
  for (const auto& o : kOptions) {
    SCOPED_TRACE(std::to_string(o.ignore_index) + " " + std::to_string(o.label_smoothing));
    Tensor loss = ops::cross_entropy(logits, targets_of(t), o);
    EXPECT_NEAR(loss.item(), ref_loss(logits, t, o), 1e-5 * (1 + std::abs(loss.item())));
  }
}

INSTANTIATE_TEST_SUITE_P(Isa, OpsCrossEntropyIsa,
                         ::testing::Values(SmallRnnIsa::avx512, SmallRnnIsa::avx2, SmallRnnIsa::none),
                         testing::isa_test_name);

TEST(OpsCrossEntropy, Gradients) {
  std::mt19937 rng(2);
  Tensor t = targets_of({2, 0, 4, 1, 0});
  for (const auto& o : kOptions) {
    SCOPED_TRACE(std::to_string(o.ignore_index) + " " + std::to_string(o.label_smoothing));
    check_gradients([&](const auto& v) { return ops::cross_entropy(v[0], v[1], o); },
                    {random_tensor({5, 7}, rng, -2.0f, 2.0f), t}, {.skip = {1}});
  }
}

// torch's weight=: sum_i w[t_i] * -log p_i[t_i] / sum_i w[t_i] (no smoothing), ignored rows
// out of both sums; with smoothing each row's whole term is scaled by w[t_i].
TEST(OpsCrossEntropy, ClassWeightsScaleRowsAndTheMean) {
  std::mt19937 rng(4);
  Tensor logits = random_tensor({5, 3}, rng, -2.0f, 2.0f);
  std::vector<std::int64_t> t{2, 0, 1, -100, 2};
  const std::vector<float> w{0.5f, 2.0f, 3.0f};
  for (float s : {0.0f, 0.2f}) {
    double total = 0, weight = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (t[i] == -100) continue;
      std::vector<std::int64_t> one{t[i]};
      Tensor row = Tensor::from({1, 3}, {logits.item(static_cast<std::int64_t>(i) * 3),
                                         logits.item(static_cast<std::int64_t>(i) * 3 + 1),
                                         logits.item(static_cast<std::int64_t>(i) * 3 + 2)});
      total += w[static_cast<std::size_t>(t[i])] * ref_loss(row, one, {.label_smoothing = s});
      weight += w[static_cast<std::size_t>(t[i])];
    }
    ops::CrossEntropyOptions o{.label_smoothing = s, .class_weights = w};
    auto r = ops::cross_entropy_with_count(logits, targets_of(t), o);
    EXPECT_NEAR(r.loss.item(), total / weight, 1e-5) << s;
    EXPECT_EQ(r.count, 4);
    check_gradients([&](const auto& v) { return ops::cross_entropy(v[0], v[1], o); },
                    {logits, targets_of(t)}, {.skip = {1}});
  }
  EXPECT_THROW(ops::cross_entropy(logits, targets_of(t), {.class_weights = {1.0f, 2.0f}}), ShapeError);
}

TEST(OpsCrossEntropy, AllIgnoredIsZeroNotNaN) {
  Tensor logits = Tensor::zeros({2, 3}).set_requires_grad(true);
  auto r = ops::cross_entropy_with_count(logits, targets_of({-100, -100}));
  EXPECT_EQ(r.count, 0);
  EXPECT_EQ(r.loss.item(), 0.0f);
  r.loss.backward();
  for (float g : logits.grad().to_vector()) EXPECT_EQ(g, 0.0f);
}

TEST(OpsCrossEntropy, BadTargetsAreNamed) {
  Tensor logits = Tensor::zeros({3, 4});
  try {
    ops::cross_entropy(logits, targets_of({1, 2, 4}));
    FAIL() << "expected ShapeError";
  } catch (const ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find("target 4 at row 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ops::cross_entropy(logits, targets_of({1, 2})), ShapeError);
  EXPECT_THROW(ops::cross_entropy(logits, Tensor::zeros({3})), ShapeError);
  EXPECT_THROW(ops::cross_entropy(Tensor::zeros({3, 4, 1}), targets_of({1, 2, 3})), ShapeError);
  EXPECT_THROW(ops::cross_entropy(logits, targets_of({1, 2, 3}), {.label_smoothing = 2.0f}), Error);
}

}  // namespace
}  // namespace recur
