// Int8 LSTM layers (framework/src/ops/rnn_int8.cc, inference precision int8): the input's
// quantization (a power-of-two range, u = round(127 x / alpha) + 128), LSTM results within
// int8 precision of PyTorch's f32 ones for inputs of any range, weight updates seen; GRU and
// tanh layers and passes that record gradients stay exactly f32.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "precision_test_util.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/precision.h"
#include "recur/ops/tape.h"
#include "rnn_int8.h"
#include "rnn_test_util.h"

namespace recur {
namespace {

using testing::expect_close;
using testing::max_abs_diff;

float range_of(const std::vector<float>& x) { return ops::detail::int8_input_range(x.data(), x.size()); }

TEST(Int8Input, RangeIsThePowerOfTwoAtOrAboveTheLargestMagnitude) {
  EXPECT_EQ(range_of({0.3f, -0.2f}), 0.5f);
  EXPECT_EQ(range_of({0.5f, -0.25f}), 0.5f);  // a power of two is its own range
  EXPECT_EQ(range_of({0.1f, -3.2f, 2.0f}), 4.0f);
  EXPECT_EQ(range_of({1000.0f}), 1024.0f);
  EXPECT_EQ(range_of({0.0f, 0.0f}), 1.0f);
  EXPECT_EQ(range_of({}), 1.0f);
  EXPECT_EQ(range_of({0.5f, std::numeric_limits<float>::infinity()}), 1.0f);
}

TEST(Int8Input, QuantizesToTheNearestLevelAroundTheShift) {
  // alpha 2: u = round(63.5 x) + 128, ties to even, clamped to [0, 255].
  const std::vector<float> x{0.0f, 1.0f, -1.0f, 2.0f, -2.0f, 1.0f / 127.0f, 3.0f / 127.0f, 5.0f, -5.0f,
                             std::numeric_limits<float>::quiet_NaN()};
  std::vector<std::uint8_t> u(x.size());
  ops::detail::quantize_int8_input(x.data(), x.size(), 2.0f, u.data());
  const std::vector<int> want{128, 192, 64, 255, 1, 128, 130, 255, 0, 0};
  //   63.5 -> 64 (even); -63.5 -> -64; 127 -> 255; -127 -> 1; 0.5 -> 0 (even); 1.5 -> 2
  //   (even); 317.5 clamps to 127 + 128, -317.5 to -128 + 128; a NaN takes the lowest level.
  for (std::size_t i = 0; i < x.size(); ++i) EXPECT_EQ(int(u[i]), want[i]) << "x = " << x[i];
}

// The LSTM of the quantized operands, in double, as oneDNN's u8s8 kernel computes it: one
// direction, one layer, the batch's real positions only (rnn_int8.h for the scheme).
// Input u = round(127 x / alpha) + 128 with alpha from the real positions' largest |x|;
// weights q = round(w s[c]) (W_ih times alpha) per gate column; gates from the integer
// sums; the hidden state requantized to u8 after every step, and the output and h_n
// that u8 value dequantized; the cell state exact.
struct QuantizedLstm {
  std::vector<double> output, h_n, c_n;  // [B, T, H], [B, H], [B, H]
};

QuantizedLstm quantized_lstm(const Tensor& x, const std::vector<std::int64_t>& lengths, const ops::RnnParams& p,
                             const Tensor& h0, const Tensor& c0) {
  const std::int64_t B = x.dim(0), T = x.dim(1), C = x.dim(2), H = h0.dim(2), G = 4 * H;
  auto level = [](double v) { return std::clamp(std::nearbyint(v), -128.0, 127.0); };
  std::vector<float> real;
  for (std::int64_t b = 0; b < B; ++b) {
    for (std::int64_t i = 0; i < lengths[b] * C; ++i) real.push_back(x.item(b * T * C + i));
  }
  const double alpha = ops::detail::int8_input_range(real.data(), real.size());
  std::vector<double> s(static_cast<std::size_t>(G));
  for (std::int64_t c = 0; c < G; ++c) {
    double m = 0;
    for (std::int64_t i = 0; i < C; ++i) m = std::max(m, alpha * std::abs(p.w_ih.item(i * G + c)));
    for (std::int64_t j = 0; j < H; ++j) m = std::max(m, double(std::abs(p.w_hh.item(j * G + c))));
    s[c] = 127.0 / m;
  }
  auto sigmoid = [](double v) { return 1.0 / (1.0 + std::exp(-v)); };
  QuantizedLstm out{std::vector<double>(static_cast<std::size_t>(B * T * H), 0.0), {}, {}};
  for (std::int64_t b = 0; b < B; ++b) {
    std::vector<double> h(H), c(H);
    for (std::int64_t j = 0; j < H; ++j) h[j] = level(127.0 * h0.item(b * H + j)), c[j] = c0.item(b * H + j);
    for (std::int64_t t = 0; t < lengths[b]; ++t) {
      std::vector<double> gate(static_cast<std::size_t>(G));
      for (std::int64_t col = 0; col < G; ++col) {
        double acc = 0;
        for (std::int64_t i = 0; i < C; ++i) {
          acc += level(127.0 * x.item((b * T + t) * C + i) / alpha) * level(p.w_ih.item(i * G + col) * alpha * s[col]);
        }
        for (std::int64_t j = 0; j < H; ++j) acc += h[j] * level(p.w_hh.item(j * G + col) * s[col]);
        gate[col] = acc / (127.0 * s[col]) + p.bias.item(col);
      }
      for (std::int64_t j = 0; j < H; ++j) {  // gates i, f, g, o
        c[j] = sigmoid(gate[H + j]) * c[j] + sigmoid(gate[j]) * std::tanh(gate[2 * H + j]);
        h[j] = level(127.0 * sigmoid(gate[3 * H + j]) * std::tanh(c[j]));
        out.output[(b * T + t) * H + j] = h[j] / 127.0;
      }
    }
    for (std::int64_t j = 0; j < H; ++j) out.h_n.push_back(h[j] / 127.0), out.c_n.push_back(c[j]);
  }
  return out;
}

class Int8Rnn : public testing::InferencePrecisionTest<ops::Precision::int8> {
 protected:
  // The case's result in f32, the test's precision left as it was.
  static ops::RnnResult f32_run(const testing::RnnCase& c) {
    ops::set_inference_precision(ops::Precision::f32);
    ops::RnnResult r = c.run();
    ops::set_inference_precision(ops::Precision::int8);
    return r;
  }
};

TEST_F(Int8Rnn, LstmIsTheLstmOfQuantizedOperands) {
  testing::RnnCase c("lstm_uni_l1");
  autograd::NoGradGuard no_grad;
  ops::RnnResult r = c.run();
  QuantizedLstm want = quantized_lstm(c.input, c.lengths, c.params[0], c.h0, c.c0);
  const std::int64_t B = c.input.dim(0), T = c.input.dim(1), H = c.h0.dim(2);
  for (std::int64_t b = 0; b < B; ++b) {  // positions past a sequence's end are not compared
    for (std::int64_t t = c.lengths[b]; t < T; ++t) {
      for (std::int64_t j = 0; j < H; ++j) want.output[(b * T + t) * H + j] = r.output.item((b * T + t) * H + j);
    }
  }
  EXPECT_LT(max_abs_diff(r.output, want.output), 1e-5);
  EXPECT_LT(max_abs_diff(r.h_n, want.h_n), 1e-5);
  EXPECT_LT(max_abs_diff(r.c_n, want.c_n), 1e-5);
}

// A bidirectional two-layer LSTM at a model's proportions (PyTorch's initialisation,
// U(-1/sqrt(H), 1/sqrt(H)); inputs of about unit size), over sequences of several lengths.
struct ModelSizedLstm {
  std::vector<std::int64_t> lengths{12, 7, 12, 3, 9, 1};
  Tensor input, h0, c0;
  std::vector<ops::RnnParams> params;

  explicit ModelSizedLstm(float input_size, std::int64_t C = 64, std::int64_t H = 64) {
    std::mt19937 rng(29);
    const float k = 1.0f / std::sqrt(float(H));
    input = testing::random_tensor({6, 12, C}, rng, -input_size, input_size);
    h0 = testing::random_tensor({4, 6, H}, rng, -0.5f, 0.5f);
    c0 = testing::random_tensor({4, 6, H}, rng, -0.5f, 0.5f);
    for (std::int64_t l = 0; l < 2; ++l) {
      for (int d = 0; d < 2; ++d) {
        params.push_back({testing::random_tensor({l == 0 ? C : 2 * H, 4 * H}, rng, -k, k),
                          testing::random_tensor({H, 4 * H}, rng, -k, k), testing::random_tensor({4 * H}, rng, -k, k)});
      }
    }
  }
  ops::RnnResult run() const { return ops::rnn(ops::RnnCell::lstm, input, lengths, params, true, h0, c0); }
};

// Within int8 precision of f32 at a model's size (measured: 0.006 at most, under one level
// of the hidden state, 1/127), and not equal to it: the int8 path ran. Inputs far from
// unit size keep that precision (the layer's product unchanged: W_ih scaled inversely):
// they enter as x / alpha, nothing clips and no level is wasted.
TEST_F(Int8Rnn, LstmStaysWithinInt8PrecisionOfF32) {
  autograd::NoGradGuard no_grad;
  ops::set_inference_precision(ops::Precision::f32);
  const ops::RnnResult exact = ModelSizedLstm(1.0f).run();
  ops::set_inference_precision(ops::Precision::int8);
  for (float size : {1.0f, 6.0f, 50.0f, 0.01f}) {
    ModelSizedLstm m(size);
    for (std::size_t d = 0; d < 2; ++d) m.params[d].w_ih = ops::scale(m.params[d].w_ih, 1.0f / size);
    const ops::RnnResult r = m.run();
    const std::string what = "inputs of size " + std::to_string(size);
    EXPECT_LT(max_abs_diff(r.output, exact.output), 0.02f) << what;
    EXPECT_LT(max_abs_diff(r.h_n, exact.h_n), 0.02f) << what;
    EXPECT_LT(max_abs_diff(r.c_n, exact.c_n), 0.02f) << what;
    EXPECT_GT(max_abs_diff(r.output, exact.output), 0.0f) << what << ": the int8 path did not run";
  }
}

TEST_F(Int8Rnn, SeesWeightUpdates) {
  testing::RnnCase c("lstm_uni_l1");
  autograd::NoGradGuard no_grad;
  ops::RnnResult before = c.run();
  float* w = c.params[0].w_hh.data<float>();  // bumps the version: the quantized copy is stale
  for (std::int64_t i = 0; i < c.params[0].w_hh.numel(); ++i) w[i] = -w[i];
  ops::RnnResult after = c.run();
  EXPECT_LT(max_abs_diff(after.h_n, quantized_lstm(c.input, c.lengths, c.params[0], c.h0, c.c0).h_n), 1e-5);
  EXPECT_GT(max_abs_diff(after.h_n, before.h_n), 0.1f);
}

// oneDNN 2.6 has no int8 GRU (linear before reset) or tanh RNN kernel: those layers and
// every pass that records gradients compute exactly as in f32.
TEST_F(Int8Rnn, GruTanhAndRecordingPassesStayF32) {
  for (const std::string name : {"gru_bi_l1", "rnn_uni_l1"}) {
    testing::RnnCase c(name);
    autograd::NoGradGuard no_grad;
    EXPECT_EQ(max_abs_diff(c.run().output, f32_run(c).output), 0.0f) << name;
  }
  testing::RnnCase c("lstm_uni_l1");
  c.input.set_requires_grad(true);
  ops::RnnResult recorded = c.run();
  EXPECT_EQ(max_abs_diff(recorded.output, f32_run(c).output), 0.0f);  // both record
}

}  // namespace
}  // namespace recur
