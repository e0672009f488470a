// The hand-written row softmax (src/ops/softmax_rows.h) behind ops::softmax and
// ops::log_softmax over the last axis: on AVX-512F and on AVX2 (each skipped where the
// CPU lacks it), against double-precision loops and against oneDNN's kernel; and the
// fused cross-entropy's row pieces beside it.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "gradcheck.h"
#include "on_each_isa.h"
#include "on_onednn.h"
#include "op_test_util.h"
#include "recur/ops/softmax.h"
#include "recur/ops/tape.h"
#include "recur/ops/threads.h"
#include "small_rnn.h"
#include "softmax_rows.h"

namespace recur {
namespace {

using ops::detail::SmallRnnIsa;
using testing::random_tensor;

constexpr float kInf = std::numeric_limits<float>::infinity();

// Softmax (log: log-softmax) of each row of x [rows, n], in double from x - max rounded
// to f32 as any f32 softmax rounds it (e^d then carries up to |d| 2^-24 relative error).
std::vector<double> reference(const Tensor& x, bool log) {
  const std::int64_t n = x.dim(-1), rows = x.numel() / n;
  std::vector<double> d(static_cast<std::size_t>(n)), y(static_cast<std::size_t>(x.numel()));
  for (std::int64_t r = 0; r < rows; ++r) {
    float top = -kInf;
    for (std::int64_t k = 0; k < n; ++k) top = std::max(top, x.item(r * n + k));
    double z = 0;
    for (std::int64_t k = 0; k < n; ++k) {
      d[static_cast<std::size_t>(k)] = x.item(r * n + k) - top;  // f32 subtraction
      z += std::exp(d[static_cast<std::size_t>(k)]);
    }
    for (std::int64_t k = 0; k < n; ++k) {
      const double v = d[static_cast<std::size_t>(k)];
      y[static_cast<std::size_t>(r * n + k)] = log ? v - std::log(z) : std::exp(v) / z;
    }
  }
  return y;
}

// Largest error of y against the reference: relative for softmax (probabilities down to
// 1e-30 must keep their digits); for log-softmax relative to 1 + |value| ((x - max) -
// log sum rounds to the value's own precision: 4e-6 at -40).
double error(const Tensor& y, const std::vector<double>& ref, bool log) {
  double worst = 0;
  for (std::int64_t i = 0; i < y.numel(); ++i) {
    const double want = ref[static_cast<std::size_t>(i)], got = y.item(i);
    if (std::isinf(want)) {
      EXPECT_EQ(got, want) << i;
      continue;
    }
    const double e = log ? std::abs(got - want) / (1 + std::abs(want)) : (want > 1e-30 ? std::abs(got / want - 1) : std::abs(got - want));
    worst = std::max(worst, e);
  }
  return worst;
}

class SoftmaxRows : public testing::OnEachIsa {};

// Row lengths around the vector width and the four-register unroll, and a vocabulary.
TEST_P(SoftmaxRows, MatchDoublePrecisionAtEveryRowLength) {
  std::mt19937 rng(3);
  autograd::NoGradGuard no_grad;
  for (std::int64_t n : {1, 3, 8, 15, 16, 17, 63, 64, 65, 200, 8003}) {
    SCOPED_TRACE(n);
    const Tensor x = random_tensor({3, n}, rng, -20.0f, 20.0f);
    EXPECT_LT(error(ops::softmax(x, -1), reference(x, false), false), 1e-6);
    EXPECT_LT(error(ops::log_softmax(x, -1), reference(x, true), true), 1e-6);
  }
}

// Large logits keep their digits (x - max is exact), -inf (a masked score) gives exactly
// 0 / -inf, and terms below exp's range count as 0 as in torch.
TEST_P(SoftmaxRows, LargeMaskedAndTinyTerms) {
  autograd::NoGradGuard no_grad;
  std::vector<float> v(40);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = 1000.0f - 0.25f * static_cast<float>(i);
  v[3] = -kInf;
  v[20] = -1000.0f;  // e^-2000: 0 in f32
  const Tensor x = Tensor::from({1, 40}, v);
  const Tensor p = ops::softmax(x, -1), lp = ops::log_softmax(x, -1);
  EXPECT_LT(error(p, reference(x, false), false), 1e-6);
  EXPECT_LT(error(lp, reference(x, true), true), 1e-6);
  EXPECT_EQ(p.item(3), 0.0f);
  EXPECT_EQ(p.item(20), 0.0f);
  EXPECT_EQ(lp.item(3), -kInf);
}

// A NaN anywhere in a row makes the whole row NaN, as in oneDNN and torch.
TEST_P(SoftmaxRows, ANaNSpoilsItsRowOnly) {
  autograd::NoGradGuard no_grad;
  std::vector<float> v(2 * 33, 0.5f);
  v[5] = std::numeric_limits<float>::quiet_NaN();
  const Tensor x = Tensor::from({2, 33}, v);
  for (const Tensor& y : {ops::softmax(x, -1), ops::log_softmax(x, -1)}) {
    for (std::int64_t k = 0; k < 33; ++k) {
      EXPECT_TRUE(std::isnan(y.item(k))) << k;
      EXPECT_FALSE(std::isnan(y.item(33 + k))) << k;
    }
  }
}

// Rows shared among threads give the same bits as one thread; oneDNN's kernel agrees to
// f32 rounding.
TEST_P(SoftmaxRows, ThreadsAndOneDnnAgree) {
  std::mt19937 rng(4);
  autograd::NoGradGuard no_grad;
  const Tensor x = random_tensor({16, 1, 8000}, rng, -10.0f, 10.0f);
  Tensor two, one;
  {
    ops::ScopedNumThreads threads(2);
    two = ops::log_softmax(x, -1);
  }
  {
    ops::ScopedNumThreads threads(1);
    one = ops::log_softmax(x, -1);
  }
  for (std::int64_t i = 0; i < x.numel(); ++i) ASSERT_EQ(two.item(i), one.item(i)) << i;
  testing::OnOneDnn onednn;
  testing::expect_close(one, ops::log_softmax(x, -1), 1e-5f, 1e-6f);
}

// The fused cross-entropy's pieces: a row's maximum (exact), log-sum-exp and centred sum
// against double precision, and a * softmax + b from them, also in place.
TEST_P(SoftmaxRows, RowLogSumExpAndScaledSoftmaxMatchDoublePrecision) {
  std::mt19937 rng(6);
  for (std::int64_t n : {1, 3, 16, 17, 31, 32, 33, 200, 8003}) {
    SCOPED_TRACE(n);
    std::vector<float> x = random_tensor({n}, rng, -20.0f, 20.0f).to_vector();
    if (n > 3) x[2] = -kInf;  // a masked score: no term, a -inf centred sum
    const ops::detail::RowLogSumExp r = ops::detail::row_logsumexp(x.data(), n);
    float top = -kInf;
    for (float v : x) top = std::max(top, v);
    EXPECT_EQ(r.top, top);
    double z = 0, centred = 0, size = 0;
    for (float v : x) {
      const double d = v - top;  // f32 subtraction, as the kernels round it
      z += std::exp(d);
      centred += d;
      size += std::abs(d);
    }
    EXPECT_NEAR(r.log_sum, std::log(z), 1e-6 * (1 + std::log(z)));
    if (n > 3) {
      EXPECT_EQ(r.centred_sum, -kInf);
    } else {
      EXPECT_NEAR(r.centred_sum, centred, 1e-6 * size);
    }
    const float a = 0.75f, b = -0.01f;
    std::vector<float> y(x.size()), in_place = x;
    ops::detail::row_softmax_affine(x.data(), y.data(), n, r, a, b);
    ops::detail::row_softmax_affine(in_place.data(), in_place.data(), n, r, a, b);
    for (std::int64_t k = 0; k < n; ++k) {
      const auto i = static_cast<std::size_t>(k);
      const double p = std::exp(static_cast<double>(x[i] - top) - std::log(z));
      EXPECT_NEAR(y[i], a * p + b, 1e-6 * (a * p + std::abs(b))) << k;
      EXPECT_EQ(in_place[i], y[i]) << k;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Isa, SoftmaxRows, ::testing::Values(SmallRnnIsa::avx512, SmallRnnIsa::avx2),
                         testing::isa_test_name);

}  // namespace
}  // namespace recur
