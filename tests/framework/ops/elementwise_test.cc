#include "recur/ops/elementwise.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "gradcheck.h"
#include "op_test_util.h"
#include "recur/ops/reduce.h"
#include "recur/ops/shape.h"
#include "recur/ops/tape.h"

namespace recur {
namespace {

using testing::broadcast_source;
using testing::check_gradients;
using testing::expect_close;
using testing::random_tensor;
using testing::tensor_from_fn;

using BinaryOp = Tensor (*)(const Tensor&, const Tensor&);

struct BinaryCase {
  const char* name;
  BinaryOp op;
  std::function<float(float, float)> ref;
};

const BinaryCase kBinary[] = {
    {"add", ops::add, [](float a, float b) { return a + b; }},
    {"sub", ops::sub, [](float a, float b) { return a - b; }},
    {"mul", ops::mul, [](float a, float b) { return a * b; }},
};

// Pairs of shapes: same shape, trailing [H], size-1 dims on either side, batch 1,
// a broadcast first operand, a scalar.
const std::pair<Shape, Shape> kShapes[] = {
    {{3, 5, 7}, {3, 5, 7}}, {{3, 5, 7}, {7}}, {{2, 1, 5}, {1, 3, 5}}, {{1, 1, 7}, {7}},
    {{5}, {3, 5}},          {{3, 1}, {1, 4}}, {{4, 3}, {}},
};

Shape broadcast_out(const Shape& a, const Shape& b) {
  std::size_t r = std::max(a.size(), b.size());
  Shape out(r);
  for (std::size_t i = 0; i < r; ++i) {
    std::int64_t da = i + a.size() >= r ? a[i + a.size() - r] : 1;
    std::int64_t db = i + b.size() >= r ? b[i + b.size() - r] : 1;
    out[i] = std::max(da, db);
  }
  return out;
}

// sum(y * w) for a fixed random w: every output element gets its own gradient weight.
Tensor weighted_sum(const Tensor& y, std::uint32_t seed = 7) {
  std::mt19937 rng(seed);
  return ops::sum(ops::mul(y, random_tensor(y.shape(), rng)));
}

TEST(OpsElementwise, BinaryMatchesLoopsWithBroadcasting) {
  std::mt19937 rng(1);
  for (const auto& c : kBinary) {
    for (const auto& [sa, sb] : kShapes) {
      SCOPED_TRACE(std::string(c.name) + " " + shape_str(sa) + " " + shape_str(sb));
      Tensor a = random_tensor(sa, rng), b = random_tensor(sb, rng);
      Shape out = broadcast_out(sa, sb);
      Tensor want = tensor_from_fn(out, [&](std::int64_t i) {
        return c.ref(a.item(broadcast_source(out, sa, i)), b.item(broadcast_source(out, sb, i)));
      });
      expect_close(c.op(a, b), want, 1e-6f);  // one rounding, as in the loop
    }
  }
}

TEST(OpsElementwise, BinaryGradients) {
  std::mt19937 rng(2);
  for (const auto& c : kBinary) {
    for (const auto& [sa, sb] : kShapes) {
      SCOPED_TRACE(std::string(c.name) + " " + shape_str(sa) + " " + shape_str(sb));
      check_gradients([&](const std::vector<Tensor>& x) { return weighted_sum(c.op(x[0], x[1])); },
                      {random_tensor(sa, rng), random_tensor(sb, rng)});
    }
  }
}

TEST(OpsElementwise, BinaryRejectsBadShapesAndDtypes) {
  EXPECT_THROW(ops::add(Tensor::zeros({2, 3}), Tensor::zeros({4})), ShapeError);
  EXPECT_THROW(ops::mul(Tensor::zeros({2, 3}), Tensor::zeros({3, 3})), ShapeError);
  EXPECT_THROW(ops::add(Tensor::zeros({2}), Tensor::zeros({2}, DType::i64)), ShapeError);
  EXPECT_THROW(ops::sub(Tensor::zeros({2}), Tensor()), ShapeError);
  try {
    ops::add(Tensor::zeros({2, 3}), Tensor::zeros({4}));
  } catch (const ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find("[2, 3] and [4]"), std::string::npos) << e.what();
  }
}

TEST(OpsElementwise, AddInplaceAccumulates) {
  Tensor d = Tensor::from({2, 2}, {1, 2, 3, 4});
  ops::add_inplace(d, Tensor::from({2, 2}, {10, 20, 30, 40}));
  EXPECT_EQ(d.to_vector(), (std::vector<float>{11, 22, 33, 44}));
  EXPECT_THROW(ops::add_inplace(d, Tensor::zeros({4})), ShapeError);
}

TEST(OpsElementwise, ScaleAndAddScalar) {
  std::mt19937 rng(3);
  Tensor x = random_tensor({3, 7}, rng);
  expect_close(ops::scale(x, -2.5f),
               tensor_from_fn(x.shape(), [&](auto i) { return x.item(i) * -2.5f; }), 1e-6f);
  expect_close(ops::add_scalar(x, 0.75f),
               tensor_from_fn(x.shape(), [&](auto i) { return x.item(i) + 0.75f; }), 1e-6f);
  check_gradients([](const auto& v) { return weighted_sum(ops::scale(v[0], -2.5f)); },
                  {random_tensor({3, 7}, rng)});
  check_gradients([](const auto& v) { return weighted_sum(ops::add_scalar(v[0], 0.75f)); },
                  {random_tensor({3, 7}, rng)});
  expect_close(ops::scale(Tensor::scalar(2.0f), 3.0f), Tensor::scalar(6.0f), 0.0f);
}

struct UnaryCase {
  const char* name;
  Tensor (*op)(const Tensor&);
  float (*ref)(float);
  float lo, hi;  // input range
};

const UnaryCase kUnary[] = {
    {"tanh", ops::tanh, [](float v) { return std::tanh(v); }, -3, 3},
    {"sigmoid", ops::sigmoid, [](float v) { return 1 / (1 + std::exp(-v)); }, -4, 4},
    {"relu", ops::relu, [](float v) { return v > 0 ? v : 0.0f; }, -1, 1},
    {"exp", ops::exp, [](float v) { return std::exp(v); }, -2, 2},
    {"log", ops::log, [](float v) { return std::log(v); }, 0.2f, 3},
};

TEST(OpsElementwise, UnaryMatchesLoops) {
  std::mt19937 rng(4);
  for (const auto& c : kUnary) {
    for (const Shape& s : {Shape{5, 11}, Shape{1, 1, 3}, Shape{}}) {
      SCOPED_TRACE(std::string(c.name) + " " + shape_str(s));
      Tensor x = random_tensor(s, rng, c.lo, c.hi);
      // oneDNN's vectorised approximations stay within 1e-5 of libm.
      expect_close(c.op(x), tensor_from_fn(s, [&](auto i) { return c.ref(x.item(i)); }), 1e-5f,
                   1e-5f);
    }
  }
  Tensor z = ops::log(Tensor::from({2}, {0.0f, 1.0f}));
  EXPECT_EQ(z.item(0), -std::numeric_limits<float>::infinity());
}

TEST(OpsElementwise, UnaryGradients) {
  std::mt19937 rng(5);
  for (const auto& c : kUnary) {
    SCOPED_TRACE(c.name);
    // Keep relu's inputs away from its kink, where finite differences are meaningless.
    Tensor x = c.op == ops::relu ? testing::random_away_from_zero({3, 5}, rng, 0.05f)
                                 : random_tensor({3, 5}, rng, c.lo, c.hi);
    check_gradients([&](const auto& v) { return weighted_sum(c.op(v[0])); }, {x});
  }
}

TEST(OpsElementwise, MaskedFillMatchesLoops) {
  std::mt19937 rng(6);
  Tensor x = random_tensor({2, 3, 5}, rng);
  std::vector<std::uint8_t> bits{1, 0, 0, 1, 1, 0, 1, 0, 0, 0};
  Tensor mask_u8 = Tensor::from<std::uint8_t>({2, 1, 5}, bits);
  std::vector<float> fbits(bits.begin(), bits.end());
  Tensor mask_f32 = Tensor::from({2, 1, 5}, fbits);
  const float ninf = -std::numeric_limits<float>::infinity();
  Tensor want = tensor_from_fn(x.shape(), [&](std::int64_t i) {
    return bits[static_cast<std::size_t>(broadcast_source({2, 3, 5}, {2, 1, 5}, i))] ? ninf
                                                                                     : x.item(i);
  });
  expect_close(ops::masked_fill(x, mask_u8, ninf), want, 0.0f);
  expect_close(ops::masked_fill(x, mask_f32, ninf), want, 0.0f);
  // A trailing mask broadcasts over leading dimensions.
  Tensor row = Tensor::from<std::uint8_t>({5}, std::vector<std::uint8_t>{0, 0, 1, 0, 0});
  EXPECT_EQ(ops::masked_fill(x, row, 9.0f).item(17), 9.0f);
  EXPECT_EQ(ops::masked_fill(x, row, 9.0f).item(16), x.item(16));
}

TEST(OpsElementwise, MaskedFillGradientSkipsMaskedPositions) {
  std::mt19937 rng(7);
  Tensor mask = Tensor::from({2, 1, 3}, {1, 0, 0, 0, 1, 1});
  check_gradients([&](const auto& v) { return weighted_sum(ops::masked_fill(v[0], mask, -5.0f)); },
                  {random_tensor({2, 4, 3}, rng)});
  Tensor x = random_tensor({2, 4, 3}, rng).set_requires_grad(true);
  ops::sum(ops::masked_fill(x, mask, -5.0f)).backward();
  for (std::int64_t i = 0; i < x.numel(); ++i) {
    float m = mask.item(broadcast_source({2, 4, 3}, {2, 1, 3}, i));
    EXPECT_EQ(x.grad().item(i), m ? 0.0f : 1.0f) << i;
  }
}

TEST(OpsElementwise, MaskedFillRejectsNonBroadcastingMask) {
  // A [B,S] mask over [B,T,S] aligns S with S and B with T: refused unless B == T.
  Tensor x = Tensor::zeros({2, 3, 5});
  try {
    ops::masked_fill(x, Tensor::zeros({2, 5}), 0.0f);
    FAIL() << "expected ShapeError";
  } catch (const ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find("[B,1,S]"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ops::masked_fill(x, Tensor::zeros({5}, DType::i64), 0.0f), ShapeError);
  EXPECT_NO_THROW(ops::masked_fill(x, ops::unsqueeze(Tensor::zeros({2, 5}), 1), 0.0f));
}

}  // namespace
}  // namespace recur
