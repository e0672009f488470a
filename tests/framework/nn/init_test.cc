#include "recur/nn/init.h"

#include <gtest/gtest.h>

#include <cmath>

namespace recur::nn::init {
namespace {

struct Moments {
  double mean = 0, var = 0, min = INFINITY, max = -INFINITY;
};

Moments moments(const Tensor& t) {
  Moments m;
  std::vector<float> v = t.to_vector();
  for (float x : v) {
    m.mean += x;
    m.min = std::min<double>(m.min, x);
    m.max = std::max<double>(m.max, x);
  }
  m.mean /= static_cast<double>(v.size());
  for (float x : v) m.var += (x - m.mean) * (x - m.mean);
  m.var /= static_cast<double>(v.size());
  return m;
}

// Largest |(A B^T)_ij - c I_ij| for row-major a [r, k], b [r, k].
double gram_error(const std::vector<float>& a, std::size_t r, std::size_t k, double c) {
  double worst = 0;
  for (std::size_t i = 0; i < r; ++i) {
    for (std::size_t j = 0; j < r; ++j) {
      double s = 0;
      for (std::size_t l = 0; l < k; ++l) s += double(a[i * k + l]) * a[j * k + l];
      worst = std::max(worst, std::abs(s - (i == j ? c : 0.0)));
    }
  }
  return worst;
}

std::vector<float> transpose(const std::vector<float>& a, std::size_t r, std::size_t c) {
  std::vector<float> t(a.size());
  for (std::size_t i = 0; i < r; ++i) {
    for (std::size_t j = 0; j < c; ++j) t[j * r + i] = a[i * c + j];
  }
  return t;
}

TEST(Init, SameSeedSameValuesOtherSeedOtherValues) {
  Tensor a = Tensor::zeros({64}), b = Tensor::zeros({64}), c = Tensor::zeros({64});
  Generator g1(42), g2(42), g3(43);
  uniform(a, -1, 1, g1);
  uniform(b, -1, 1, g2);
  uniform(c, -1, 1, g3);
  EXPECT_EQ(a.to_vector(), b.to_vector());
  EXPECT_NE(a.to_vector(), c.to_vector());
  Tensor d = Tensor::zeros({64});
  uniform(d, -1, 1, g1);  // the stream continues
  EXPECT_NE(a.to_vector(), d.to_vector());
}

TEST(Init, UniformHasItsBoundsMeanAndVariance) {
  constexpr int n = 200000;
  Tensor t = Tensor::zeros({n});
  Generator gen(7);
  uniform(t, -0.5f, 1.5f, gen);
  Moments m = moments(t);
  EXPECT_GE(m.min, -0.5);
  EXPECT_LT(m.max, 1.5);
  EXPECT_LT(m.min, -0.49);  // the whole range is used
  EXPECT_GT(m.max, 1.49);
  double var = 4.0 / 12;  // (b - a)^2 / 12
  EXPECT_NEAR(m.mean, 0.5, 5 * std::sqrt(var / n));
  EXPECT_NEAR(m.var, var, 0.02 * var);
}

TEST(Init, NormalHasItsMeanAndStddev) {
  constexpr int n = 200000;
  Tensor t = Tensor::zeros({n});
  Generator gen(8);
  normal(t, 2.0f, 0.5f, gen);
  Moments m = moments(t);
  EXPECT_NEAR(m.mean, 2.0, 5 * 0.5 / std::sqrt(n));
  EXPECT_NEAR(std::sqrt(m.var), 0.5, 0.01);
}

TEST(Init, ConstantFillsEverything) {
  Tensor t = Tensor::zeros({3, 5});
  constant(t, -2.5f);
  for (float x : t.to_vector()) EXPECT_EQ(x, -2.5f);
}

TEST(Init, XavierUniformUsesFanInPlusFanOut) {
  Generator gen(9);
  Tensor w = Tensor::zeros({300, 200});
  xavier_uniform(w, gen);
  double bound = std::sqrt(6.0 / 500);
  Moments m = moments(w);
  EXPECT_LE(std::max(-m.min, m.max), bound);
  EXPECT_GT(std::max(-m.min, m.max), 0.99 * bound);
  EXPECT_NEAR(m.var, bound * bound / 3, 0.03 * bound * bound / 3);
  // Convolution weight [out, in, kh, kw]: fan_in = 4*9, fan_out = 8*9; gain scales.
  Tensor k = Tensor::zeros({8, 4, 3, 3});
  xavier_uniform(k, gen, 2.0f);
  double kbound = 2.0 * std::sqrt(6.0 / (36 + 72));
  Moments km = moments(k);
  EXPECT_LE(std::max(-km.min, km.max), kbound);
  EXPECT_GT(std::max(-km.min, km.max), 0.9 * kbound);
  EXPECT_THROW(xavier_uniform(Tensor::zeros({5}), gen), ShapeError);
}

TEST(Init, OrthogonalSquareIsOrthogonal) {
  Generator gen(10);
  Tensor w = Tensor::zeros({64, 64});
  orthogonal(w, gen);
  EXPECT_LT(gram_error(w.to_vector(), 64, 64, 1.0), 1e-5);                   // W W^T = I
  EXPECT_LT(gram_error(transpose(w.to_vector(), 64, 64), 64, 64, 1.0), 1e-5);  // W^T W = I
}

TEST(Init, OrthogonalWideHasOrthonormalRowsTallOrthonormalColumns) {
  Generator gen(11);
  Tensor wide = Tensor::zeros({16, 40});
  orthogonal(wide, gen);
  EXPECT_LT(gram_error(wide.to_vector(), 16, 40, 1.0), 1e-5);
  // A recurrent weight [4H, H]: its columns are orthonormal.
  Tensor tall = Tensor::zeros({48, 12});
  orthogonal(tall, gen, 2.0f);
  EXPECT_LT(gram_error(transpose(tall.to_vector(), 48, 12), 12, 48, 4.0), 1e-5);
  // Trailing dimensions flatten: [6, 2, 5] is 6 x 10.
  Tensor three = Tensor::zeros({6, 2, 5});
  orthogonal(three, gen);
  EXPECT_LT(gram_error(three.to_vector(), 6, 10, 1.0), 1e-5);
}

TEST(Init, OrthogonalIsNotAPermutationOrSign) {
  // A bug that returned the identity or a signed permutation would pass the gram test.
  Generator gen(12);
  Tensor w = Tensor::zeros({32, 32});
  orthogonal(w, gen);
  int large = 0;
  for (float x : w.to_vector()) large += std::abs(x) > 0.5f;
  EXPECT_LT(large, 8);
  // Entries of a Haar-random orthogonal matrix have variance 1/n.
  EXPECT_NEAR(moments(w).var, 1.0 / 32, 0.2 / 32);
}

TEST(Init, OrthogonalOnAGateBlockViewLeavesTheRestAlone) {
  Generator gen(13);
  Tensor w = Tensor::full({16, 4}, 3.0f);  // [4H, H] with H = 4
  orthogonal(w.narrow0(4, 4), gen);         // the forget-gate block only
  std::vector<float> v = w.to_vector();
  for (int i = 0; i < 64; ++i) {
    if (i < 16 || i >= 32) {
      EXPECT_EQ(v[i], 3.0f) << i;
    }
  }
  std::vector<float> block(v.begin() + 16, v.begin() + 32);
  EXPECT_LT(gram_error(block, 4, 4, 1.0), 1e-5);
}

TEST(Init, OrthogonalRefusesVectorsAndIntegers) {
  Generator gen(14);
  EXPECT_THROW(orthogonal(Tensor::zeros({8}), gen), ShapeError);
  EXPECT_THROW(orthogonal(Tensor::zeros({2, 2}, DType::i32), gen), ShapeError);
}

TEST(Init, LstmForgetGateBiasSetsTheSecondQuarter) {
  Tensor b = Tensor::full({16}, 0.5f);
  lstm_forget_gate_bias(b);
  std::vector<float> v = b.to_vector();
  for (int i = 0; i < 16; ++i) EXPECT_EQ(v[i], (i >= 4 && i < 8) ? 1.0f : 0.5f) << i;
  // [layers * directions, 4H]: every row.
  Tensor rows = Tensor::zeros({2, 12});
  lstm_forget_gate_bias(rows, 2.0f);
  std::vector<float> r = rows.to_vector();
  for (int i = 0; i < 24; ++i) EXPECT_EQ(r[i], (i % 12 >= 3 && i % 12 < 6) ? 2.0f : 0.0f) << i;
  EXPECT_THROW(lstm_forget_gate_bias(Tensor::zeros({10})), ShapeError);
}

}  // namespace
}  // namespace recur::nn::init
