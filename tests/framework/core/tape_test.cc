#include "recur/ops/tape.h"

#include <gtest/gtest.h>

#include "recur/ops/elementwise.h"
#include "recur/ops/reduce.h"
#include "recur/ops/shape.h"

namespace recur {
namespace {

TEST(Tape, TensorUsedTwiceAccumulates) {
  Tensor x = Tensor::from({3}, {1.0f, -2.0f, 0.5f}).set_requires_grad(true);
  // d/dx sum(x * x + x) = 2x + 1: both uses of x (and both operands of mul) add up.
  ops::sum(ops::add(ops::mul(x, x), x)).backward();
  EXPECT_EQ(x.grad().to_vector(), (std::vector<float>{3.0f, -3.0f, 2.0f}));
}

TEST(Tape, LeafGradientsAccumulateAcrossBackwardCalls) {
  Tensor x = Tensor::from({2}, {1.0f, 2.0f}).set_requires_grad(true);
  ops::sum(ops::scale(x, 3.0f)).backward();
  ops::sum(ops::scale(x, 3.0f)).backward();
  EXPECT_EQ(x.grad().to_vector(), (std::vector<float>{6.0f, 6.0f}));
  x.zero_grad();
  EXPECT_FALSE(x.grad().defined());
}

TEST(Tape, NoGradGuardRecordsNothing) {
  Tensor x = Tensor::from({2}, {1.0f, 2.0f}).set_requires_grad(true);
  {
    autograd::NoGradGuard guard;
    EXPECT_FALSE(autograd::grad_enabled());
    Tensor y = ops::sum(ops::tanh(x));
    EXPECT_FALSE(y.requires_grad());
    EXPECT_EQ(y.grad_fn(), nullptr);
    EXPECT_THROW(y.backward(), Error);
  }
  EXPECT_TRUE(autograd::grad_enabled());
  Tensor y = ops::sum(ops::tanh(x));
  EXPECT_TRUE(y.requires_grad());
  EXPECT_NE(y.grad_fn(), nullptr);
}

TEST(Tape, InputsWithoutGradRecordNothing) {
  Tensor y = ops::add(Tensor::ones({2}), Tensor::ones({2}));
  EXPECT_FALSE(y.requires_grad());
  EXPECT_EQ(y.grad_fn(), nullptr);
}

TEST(Tape, BackwardNeedsAScalar) {
  Tensor x = Tensor::ones({2, 2}).set_requires_grad(true);
  Tensor y = ops::scale(x, 2.0f);
  EXPECT_THROW(y.backward(), ShapeError);
  EXPECT_THROW(Tensor().backward(), ShapeError);
  EXPECT_NO_THROW(ops::sum(y).backward());
}

TEST(Tape, UnusedOutputsOfAMultiOutputNodeGetZeros) {
  Tensor x = Tensor::from({1, 5}, {1, 2, 3, 4, 5}).set_requires_grad(true);
  auto parts = ops::split(x, {2, 3}, 1);
  ops::sum(ops::scale(parts[1], 2.0f)).backward();
  EXPECT_EQ(x.grad().to_vector(), (std::vector<float>{0, 0, 2, 2, 2}));

  // The same through a hand-recorded node that checks what it receives.
  Tensor a = Tensor::from({2}, {1, 2}).set_requires_grad(true);
  Tensor out0 = Tensor::zeros({3}), out1 = Tensor::zeros({2, 2});
  std::vector<Tensor> seen;
  autograd::record("two_outputs", {a}, {&out0, &out1}, [&](const std::vector<Tensor>& g) {
    seen = g;
    return std::vector<Tensor>{Tensor::ones({2})};
  });
  ops::sum(out1).backward();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].shape(), (Shape{3}));
  EXPECT_EQ(seen[0].to_vector(), (std::vector<float>{0, 0, 0}));
  EXPECT_EQ(seen[1].to_vector(), (std::vector<float>{1, 1, 1, 1}));
  EXPECT_EQ(a.grad().to_vector(), (std::vector<float>{1, 1}));
}

// A gradient a backward hands out once and keeps no other reference to becomes the
// input's gradient as it is; one it hands to two inputs is copied: a later accumulation
// into one input's gradient must not reach the other's.
TEST(Tape, GradientsAreTakenOverOnlyWhenNothingElseHoldsThem) {
  Tensor a = Tensor::from({2}, {1, 2}).set_requires_grad(true);
  Tensor b = Tensor::from({2}, {3, 4}).set_requires_grad(true);
  Tensor c = Tensor::from({2}, {5, 6}).set_requires_grad(true);
  Tensor out = Tensor::zeros({2});
  const float* fresh = nullptr;
  const float* twice = nullptr;
  autograd::record("hands_out", {a, b, c}, {&out}, [&](const std::vector<Tensor>& g) {
    Tensor shared = ops::scale(g[0], 2.0f), own = ops::scale(g[0], 3.0f);
    fresh = own.data<float>();
    twice = shared.data<float>();
    return std::vector<Tensor>{shared, shared, own};
  });
  ops::sum(out).backward();
  EXPECT_EQ(c.grad().data<float>(), fresh) << "a gradient nobody else holds was copied";
  EXPECT_NE(a.grad().data<float>(), twice) << "the first of two inputs sharing a gradient took it";
  EXPECT_EQ(b.grad().data<float>(), twice) << "the last holder of a shared gradient copied it";
  Tensor grad_a = a.grad();
  grad_a.data<float>()[0] += 100.0f;
  EXPECT_EQ(b.grad().to_vector(), (std::vector<float>{2, 2}));
  EXPECT_EQ(c.grad().to_vector(), (std::vector<float>{3, 3}));
}

// A backward that passes its incoming gradient on (a reshape's view of it) hands over
// memory the tape no longer needs: it is taken over, not copied.
TEST(Tape, PassedOnGradientIsTakenOver) {
  Tensor x = Tensor::from({2, 2}, {1, 2, 3, 4}).set_requires_grad(true);
  Tensor y = Tensor::zeros({4});
  const float* incoming = nullptr;
  autograd::record("pass_on", {x}, {&y}, [&](const std::vector<Tensor>& g) {
    incoming = g[0].data<float>();
    return std::vector<Tensor>{g[0].view({2, 2})};
  });
  Tensor w = Tensor::from({4}, {1, 2, 3, 4});
  ops::sum(ops::mul(y, w)).backward();
  EXPECT_EQ(x.grad().data<float>(), incoming);
  EXPECT_EQ(x.grad().to_vector(), (std::vector<float>{1, 2, 3, 4}));
}

TEST(Tape, WrongGradientShapeFromABackwardIsAnError) {
  Tensor a = Tensor::ones({2}).set_requires_grad(true);
  Tensor out = Tensor::zeros({});
  autograd::record("bad", {a}, {&out}, [](const std::vector<Tensor>&) {
    return std::vector<Tensor>{Tensor::ones({3})};
  });
  EXPECT_THROW(out.backward(), ShapeError);
}

}  // namespace
}  // namespace recur
