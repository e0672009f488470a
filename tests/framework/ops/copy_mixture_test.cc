// ops::copy_mixture_log_probs against the unfused formula (softmax, a hand-written
// scatter, mul, add, log), with hand-computed copy distributions (an extended
// vocabulary too), by finite differences in all three differentiable inputs, and its
// argument errors.
#include "recur/ops/copy_mixture.h"

#include <gtest/gtest.h>

#include <cmath>

#include "framework/ops/gradcheck.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/reduce.h"
#include "recur/ops/softmax.h"

namespace recur::ops {
namespace {

Tensor ids_of(const Shape& shape, std::vector<std::int64_t> v) {
  return Tensor::from<std::int64_t>(shape, v);
}

TEST(CopyMixture, PureCopyScattersRepeatedIdsAndFloorsTheRest) {
  // p_gen = 0: P is the copy distribution (+ floor); repeated ids add up.
  Tensor logits = Tensor::zeros({2, 2, 4});
  Tensor gen = Tensor::zeros({2, 2, 1});
  Tensor w = Tensor::from({2, 2, 3}, {.5f, .25f, .25f, .1f, .2f, .7f, .6f, .3f, .1f, 0, .5f, .5f});
  Tensor ids = ids_of({2, 3}, {0, 3, 0, 2, 1, 2});
  std::vector<float> p = copy_mixture_log_probs(logits, gen, w, ids, 1e-6f).to_vector();
  const std::vector<float> want{.75f, 0, 0, .25f, .8f, 0, 0, .2f, 0, .3f, .7f, 0, 0, .5f, .5f, 0};
  ASSERT_EQ(p.size(), want.size());
  for (std::size_t i = 0; i < p.size(); ++i) EXPECT_NEAR(p[i], std::log(want[i] + 1e-6f), 1e-5f) << i;
}

TEST(CopyMixture, EqualsTheUnfusedFormula) {
  std::mt19937 rng(3);
  Tensor logits = recur::testing::random_tensor({2, 3, 5}, rng, -3.0f, 3.0f);
  Tensor gen = recur::testing::random_tensor({2, 3, 1}, rng, 0.05f, 0.95f);
  Tensor w = softmax(recur::testing::random_tensor({2, 3, 4}, rng), -1);
  Tensor ids = ids_of({2, 4}, {1, 4, 1, 0, 2, 2, 3, 0});
  Tensor copy = Tensor::zeros({2, 3, 5});
  for (int b = 0; b < 2; ++b) {
    for (int t = 0; t < 3; ++t) {
      for (int s = 0; s < 4; ++s) {
        copy.data<float>()[(b * 3 + t) * 5 + ids.data<std::int64_t>()[b * 4 + s]] +=
            w.data<float>()[(b * 3 + t) * 4 + s];
      }
    }
  }
  Tensor want = log(add_scalar(
      add(mul(gen, softmax(logits, -1)), mul(add_scalar(scale(gen, -1.0f), 1.0f), copy)), 1e-9f));
  std::vector<float> got = copy_mixture_log_probs(logits, gen, w, ids, 1e-9f).to_vector();
  std::vector<float> ref = want.to_vector();
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], ref[i], 1e-5f) << i;
}

TEST(CopyMixture, GradientsOfLogitsPGenAndWeights) {
  std::mt19937 rng(5);
  Tensor ids = ids_of({2, 3}, {0, 3, 0, 2, 1, 2});
  Tensor probe = recur::testing::random_tensor({2, 2, 4}, rng);
  recur::testing::check_gradients(
      [&](const std::vector<Tensor>& in) {
        // p_gen and weights kept in (0, 1) and the weights normalised, as a decoder gives them.
        Tensor gen = sigmoid(in[1]);
        Tensor w = softmax(in[2], -1);
        return sum(mul(copy_mixture_log_probs(in[0], gen, w, ids, 1e-6f), probe));
      },
      {recur::testing::random_tensor({2, 2, 4}, rng), recur::testing::random_tensor({2, 2, 1}, rng),
       recur::testing::random_tensor({2, 2, 3}, rng)});
}

TEST(CopyMixture, AnExtendedVocabularyOnlyCopiesBeyondV) {
  // V = 3, width 5: ids 3 and 4 are source words outside the vocabulary.
  Tensor logits = Tensor::from({1, 1, 3}, {0.0f, std::log(2.0f), std::log(3.0f)});
  Tensor gen = Tensor::from({1, 1, 1}, {0.6f});
  Tensor w = Tensor::from({1, 1, 3}, {.5f, .3f, .2f});
  Tensor ids = ids_of({1, 3}, {4, 1, 4});
  std::vector<float> p = copy_mixture_log_probs(logits, gen, w, ids, 1e-9f, 5).to_vector();
  // generated .6 * (1, 2, 3) / 6, copied .4 * (.3 onto 1, .7 onto 4)
  const std::vector<float> want{.1f, .2f + .12f, .3f, 0.0f, .28f};
  ASSERT_EQ(p.size(), want.size());
  for (std::size_t i = 0; i < p.size(); ++i) EXPECT_NEAR(p[i], std::log(want[i] + 1e-9f), 1e-5f) << i;
  // width V is the plain mixture; ids >= width are errors
  EXPECT_EQ(copy_mixture_log_probs(logits, gen, w, ids_of({1, 3}, {0, 1, 2}), 1e-9f, 3).to_vector(),
            copy_mixture_log_probs(logits, gen, w, ids_of({1, 3}, {0, 1, 2}), 1e-9f).to_vector());
  EXPECT_THROW(copy_mixture_log_probs(logits, gen, w, ids_of({1, 3}, {5, 1, 2}), 1e-9f, 5), ShapeError);
  EXPECT_THROW(copy_mixture_log_probs(logits, gen, w, ids, 1e-9f, 2), ShapeError);
}

TEST(CopyMixture, GradientsOverAnExtendedVocabulary) {
  std::mt19937 rng(7);
  Tensor ids = ids_of({2, 3}, {0, 5, 4, 2, 1, 4});  // V = 4, width 6
  Tensor probe = recur::testing::random_tensor({2, 2, 6}, rng);
  recur::testing::check_gradients(
      [&](const std::vector<Tensor>& in) {
        Tensor gen = sigmoid(in[1]);
        Tensor w = softmax(in[2], -1);
        return sum(mul(copy_mixture_log_probs(in[0], gen, w, ids, 1e-6f, 6), probe));
      },
      {recur::testing::random_tensor({2, 2, 4}, rng), recur::testing::random_tensor({2, 2, 1}, rng),
       recur::testing::random_tensor({2, 2, 3}, rng)});
}

TEST(CopyMixture, BadShapesAndIdsAreErrorsNamingThem) {
  Tensor logits = Tensor::zeros({1, 1, 4}), gen = Tensor::zeros({1, 1, 1});
  Tensor w = Tensor::zeros({1, 1, 2});
  try {
    copy_mixture_log_probs(logits, gen, w, ids_of({1, 2}, {0, 4}), 1e-6f);
    FAIL() << "no error";
  } catch (const ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find("id 4 at position 1"), std::string::npos) << e.what();
  }
  EXPECT_THROW(copy_mixture_log_probs(logits, gen, w, ids_of({1, 3}, {0, 1, 2}), 1e-6f), ShapeError);
  EXPECT_THROW(copy_mixture_log_probs(logits, Tensor::zeros({1, 1, 2}), w, ids_of({1, 2}, {0, 1}), 1e-6f),
               ShapeError);
}

}  // namespace
}  // namespace recur::ops
