// The small-hidden LSTM inference kernel (framework/src/ops/small_lstm.h): which layers it
// serves, PyTorch's packed-sequence results at hidden 4-6, 16 and 32 within 1e-5 (the f32
// parity bound), oneDNN's results over hidden sizes, input sizes, row counts that leave
// partial tiles, varied lengths and initial states, saturated gates, a NaN kept to its own
// row, identical results on one thread or two, and errors against a double-precision LSTM
// within twice oneDNN's.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <vector>

#include "recur/ops/shape.h"
#include "recur/ops/tape.h"
#include "recur/ops/threads.h"
#include "rnn_test_util.h"
#include "small_lstm.h"

namespace recur {
namespace {

using ops::detail::set_small_lstm_enabled;
using ops::detail::small_lstm_fits;
using testing::expect_close;
using testing::random_tensor;

bool has_kernel() { return __builtin_cpu_supports("avx512f"); }

// oneDNN's LSTM for the duration of a scope.
struct OnOneDnn {
  OnOneDnn() { set_small_lstm_enabled(false); }
  ~OnOneDnn() { set_small_lstm_enabled(true); }
};

struct Layer {
  std::int64_t input, hidden, layers;
  bool bidirectional;
  std::vector<std::int64_t> lengths;
  Tensor x, h0, c0;
  std::vector<ops::RnnParams> params;

  ops::RnnResult run() const { return ops::lstm(x, lengths, params, bidirectional, h0, c0); }
};

// Weights uniform in +-scale (PyTorch's initialisation: 1 / sqrt(hidden)).
Layer random_layer(std::int64_t input, std::int64_t hidden, std::int64_t batch, bool states, std::mt19937& rng,
                   float scale) {
  Layer l{input, hidden, 2, true, {}, {}, {}, {}, {}};
  const std::int64_t steps = 19;
  std::uniform_int_distribution<std::int64_t> length(1, steps);
  for (std::int64_t b = 0; b < batch; ++b) l.lengths.push_back(b == 0 ? steps : length(rng));
  l.x = random_tensor({batch, steps, input}, rng, -2.0f, 2.0f);
  if (states) {
    l.h0 = random_tensor({4, batch, hidden}, rng);
    l.c0 = random_tensor({4, batch, hidden}, rng, -3.0f, 3.0f);
  }
  l.params = testing::random_params(ops::RnnCell::lstm, input, hidden, 2, true, rng);
  for (ops::RnnParams& p : l.params) {
    for (Tensor* w : {&p.w_ih, &p.w_hh, &p.bias}) {
      for (std::int64_t i = 0; i < w->numel(); ++i) w->data<float>()[i] *= scale;
    }
  }
  return l;
}

float torch_scale(std::int64_t hidden) { return 1.0f / std::sqrt(static_cast<float>(hidden)); }

// The first layer's forward direction alone, over full-length rows.
Layer one_layer(Layer l) {
  l.bidirectional = false;
  l.layers = 1;
  l.params.resize(1);
  l.lengths.assign(l.lengths.size(), l.x.dim(1));
  if (l.h0.defined()) l.h0 = ops::narrow(l.h0, 0, 0, 1);
  if (l.c0.defined()) l.c0 = ops::narrow(l.c0, 0, 0, 1);
  return l;
}

// One unidirectional layer over full-length rows in double precision:
// output [B, T, H] (PyTorch's LSTM, gates i, f, g, o).
std::vector<double> reference_lstm(const Layer& l) {
  const std::int64_t B = l.x.dim(0), T = l.x.dim(1), C = l.input, H = l.hidden, G = 4 * H;
  const ops::RnnParams& p = l.params[0];
  std::vector<double> out(static_cast<std::size_t>(B * T * H));
  auto sigmoid = [](double v) { return 1.0 / (1.0 + std::exp(-v)); };
  for (std::int64_t b = 0; b < B; ++b) {
    std::vector<double> h(static_cast<std::size_t>(H)), c(static_cast<std::size_t>(H)), gate(static_cast<std::size_t>(G));
    for (std::int64_t k = 0; k < H; ++k) {
      h[k] = l.h0.defined() ? l.h0.item(b * H + k) : 0.0;
      c[k] = l.c0.defined() ? l.c0.item(b * H + k) : 0.0;
    }
    for (std::int64_t t = 0; t < T; ++t) {
      for (std::int64_t g = 0; g < G; ++g) {
        double acc = p.bias.item(g);
        for (std::int64_t j = 0; j < C; ++j) acc += double(l.x.item((b * T + t) * C + j)) * p.w_ih.item(j * G + g);
        for (std::int64_t j = 0; j < H; ++j) acc += h[j] * p.w_hh.item(j * G + g);
        gate[g] = acc;
      }
      for (std::int64_t k = 0; k < H; ++k) {
        c[k] = sigmoid(gate[H + k]) * c[k] + sigmoid(gate[k]) * std::tanh(gate[2 * H + k]);
        h[k] = sigmoid(gate[3 * H + k]) * std::tanh(c[k]);
        out[(b * T + t) * H + k] = h[k];
      }
    }
  }
  return out;
}

TEST(SmallLstm, AsAccurateAsOneDnnAgainstDoublePrecision) {
  if (!has_kernel()) GTEST_SKIP() << "no AVX-512F";
  std::mt19937 rng(5);
  autograd::NoGradGuard no_grad;
  for (std::int64_t hidden : {16, 24, 32, 64}) {
    for (float scale : {torch_scale(hidden), 1.0f}) {
      const Layer l = one_layer(random_layer(3, hidden, 13, true, rng, scale));
      const std::vector<double> exact = reference_lstm(l);
      const double kernel = testing::max_abs_diff(l.run().output, exact);
      OnOneDnn off;
      const double onednn = testing::max_abs_diff(l.run().output, exact);
      SCOPED_TRACE("hidden " + std::to_string(hidden) + " weights +-" + std::to_string(scale));
      if (scale < 1.0f) {
        // Measured: 1.2-1.7x oneDNN's error, about 2e-7.
        EXPECT_LE(kernel, std::max(2 * onednn, 5e-7));
      } else {
        // Weights of +-1 amplify every rounding from step to step (oneDNN's error too,
        // 1e-6 to 3e-6): a bound, not a ratio.
        EXPECT_LE(kernel, 1e-5);
      }
    }
  }
}

void expect_same(const ops::RnnResult& a, const ops::RnnResult& b, float tol) {
  expect_close(a.output, b.output, tol, "output");
  expect_close(a.h_n, b.h_n, tol, "h_n");
  expect_close(a.c_n, b.c_n, tol, "c_n");
}

TEST(SmallLstm, ServesHiddenSizesUpToSixtyFour) {
  if (!has_kernel()) GTEST_SKIP() << "no AVX-512F: every LSTM runs on oneDNN";
  for (std::int64_t h : {1, 5, 16, 24, 32, 48, 64}) EXPECT_TRUE(small_lstm_fits(3, h)) << h;
  for (std::int64_t h : {65, 80, 128, 256}) EXPECT_FALSE(small_lstm_fits(3, h)) << h;
  EXPECT_TRUE(small_lstm_fits(256, 32));
  EXPECT_FALSE(small_lstm_fits(257, 32));
  OnOneDnn off;
  EXPECT_FALSE(small_lstm_fits(3, 32));
}

class SmallLstmFixture : public ::testing::TestWithParam<const char*> {};

TEST_P(SmallLstmFixture, InferenceMatchesTorchPackedSequences) {
  if (!has_kernel()) GTEST_SKIP() << "no AVX-512F";
  testing::RnnCase c(GetParam());
  ASSERT_TRUE(small_lstm_fits(c.input.dim(2), c.h0.dim(2)));
  autograd::NoGradGuard no_grad;
  const ops::RnnResult r = c.run();
  expect_close(r.output, c.file.f32("output"), 1e-5f, "output");
  expect_close(r.h_n, c.file.f32("h_n"), 1e-5f, "h_n");
  expect_close(r.c_n, c.file.f32("c_n"), 1e-5f, "c_n");
}

INSTANTIATE_TEST_SUITE_P(Torch, SmallLstmFixture,
                         ::testing::Values("lstm_uni_l1", "lstm_uni_l2", "lstm_bi_l1", "lstm_bi_l2", "lstm_uni_l1_h16",
                                           "lstm_bi_l2_h32"));

TEST(SmallLstm, MatchesOneDnnOverSizesRowsLengthsAndStates) {
  if (!has_kernel()) GTEST_SKIP() << "no AVX-512F";
  std::mt19937 rng(5);
  autograd::NoGradGuard no_grad;
  for (std::int64_t hidden : {5, 16, 24, 32, 48, 64}) {  // 5, 24: a partly used last block of 16
    for (std::int64_t input : {1, 3, 40}) {
      for (std::int64_t batch : {1, 7, 13}) {  // one partial tile, a full one and a part, two and a part
        const Layer l = random_layer(input, hidden, batch, batch != 7, rng, torch_scale(hidden));
        SCOPED_TRACE("hidden " + std::to_string(hidden) + " input " + std::to_string(input) + " batch " +
                     std::to_string(batch));
        const ops::RnnResult kernel = l.run();
        OnOneDnn off;
        expect_same(kernel, l.run(), 1e-5f);
      }
    }
  }
}

TEST(SmallLstm, SaturatedGatesReachTheirLimitsAsOneDnnDoes) {
  if (!has_kernel()) GTEST_SKIP() << "no AVX-512F";
  std::mt19937 rng(9);
  autograd::NoGradGuard no_grad;
  Layer l = random_layer(3, 32, 9, true, rng, torch_scale(32));
  float* x = l.x.data<float>();
  for (std::int64_t i = 0; i < l.x.numel(); ++i) x[i] *= 5000.0f;  // |gate inputs| up to ~10^4
  const ops::RnnResult kernel = l.run();
  for (std::int64_t i = 0; i < kernel.output.numel(); ++i) {
    ASSERT_TRUE(std::isfinite(kernel.output.item(i))) << i;
    ASSERT_LE(std::abs(kernel.output.item(i)), 1.0f) << i;
  }
  OnOneDnn off;
  expect_same(kernel, l.run(), 1e-5f);
}

TEST(SmallLstm, ANaNStaysInItsOwnRow) {
  if (!has_kernel()) GTEST_SKIP() << "no AVX-512F";
  std::mt19937 rng(13);
  autograd::NoGradGuard no_grad;
  Layer l = one_layer(random_layer(3, 16, 8, false, rng, torch_scale(16)));
  const ops::RnnResult clean = l.run();
  l.x.data<float>()[(2 * 19 + 4) * 3] = std::numeric_limits<float>::quiet_NaN();  // row 2, step 4
  const ops::RnnResult dirty = l.run();
  const std::int64_t H = 16;
  for (std::int64_t b = 0; b < 8; ++b) {
    for (std::int64_t t = 0; t < 19; ++t) {
      for (std::int64_t k = 0; k < H; ++k) {
        const std::int64_t i = (b * 19 + t) * H + k;
        if (b == 2 && t >= 4) {
          EXPECT_TRUE(std::isnan(dirty.output.item(i))) << "row 2 step " << t;
        } else {
          EXPECT_EQ(dirty.output.item(i), clean.output.item(i)) << "row " << b << " step " << t;
        }
      }
    }
  }
}

TEST(SmallLstm, TwoThreadsGiveTheSameResultsAsOne) {
  if (!has_kernel()) GTEST_SKIP() << "no AVX-512F";
  std::mt19937 rng(17);
  autograd::NoGradGuard no_grad;
  const Layer l = random_layer(3, 32, 200, true, rng, torch_scale(32));
  ops::RnnResult one, two;
  {
    ops::ScopedNumThreads threads(1);
    one = l.run();
  }
  {
    ops::ScopedNumThreads threads(2);
    two = l.run();
  }
  expect_same(two, one, 0.0f);
}

}  // namespace
}  // namespace recur
