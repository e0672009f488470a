// The classifier head's poolings on a hand-made Memory (padding excluded from mean, max
// and attention), its output shape, and its gradients by finite differences.
#include "classifier_head.h"

#include <gtest/gtest.h>

#include "framework/ops/gradcheck.h"
#include "recur/config/section.h"
#include "recur/core/error.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/reduce.h"

namespace recur::tasks {
namespace {

// Row 0: three real positions; row 1: two, then padding (zero states, mask 0). Row 1's
// real values are negative, so a max that saw the padding would return 0.
Memory memory_of(const Tensor& states) {
  Memory m;
  m.states = states;
  m.mask = Tensor::from({2, 3}, {1, 1, 1, 1, 1, 0});
  m.summary = Tensor::from({2, 2}, {0.5f, -0.5f, 0.25f, 1.0f});
  return m;
}

Tensor sample_states() { return Tensor::from({2, 3, 2}, {1, -2, 3, 4, -1, 0, -3, -4, -1, -2, 0, 0}); }

ClassifierSettings settings(Pooling pooling) {
  ClassifierSettings s;
  s.pooling = pooling;
  s.dropout = 0.0f;
  return s;
}

TEST(ClassifierHead, PoolingsSkipThePadding) {
  const Memory m = memory_of(sample_states());
  ClassifierHead last(settings(Pooling::last), 2, 2, 3);
  EXPECT_EQ(last.pool(m).vector.to_vector(), m.summary.to_vector());
  ClassifierHead mean(settings(Pooling::mean), 2, 2, 3);
  const std::vector<float> want_mean{1, 2.0f / 3.0f, -2, -3};
  const std::vector<float> got_mean = mean.pool(m).vector.to_vector();
  for (std::size_t i = 0; i < 4; ++i) EXPECT_NEAR(got_mean[i], want_mean[i], 1e-6f) << i;
  ClassifierHead max(settings(Pooling::max), 2, 2, 3);
  EXPECT_EQ(max.pool(m).vector.to_vector(), (std::vector<float>{3, 4, -1, -2}));
}

TEST(ClassifierHead, AttentionWeightsAreADistributionOverRealPositions) {
  const Memory m = memory_of(sample_states());
  ClassifierHead head(settings(Pooling::attention), 2, 2, 3);
  const auto pooled = head.pool(m);
  const std::vector<float> w = pooled.weights.to_vector();
  ASSERT_EQ(w.size(), 6u);
  EXPECT_NEAR(w[0] + w[1] + w[2], 1.0f, 1e-6f);
  EXPECT_NEAR(w[3] + w[4], 1.0f, 1e-6f);
  EXPECT_EQ(w[5], 0.0f);
  // With the query at zero every real position scores the same: attention = mean.
  for (auto& [name, t] : head.named_parameters()) {
    if (name == "query.weight") t.copy_from(Tensor::zeros(t.shape()));
  }
  const std::vector<float> got = head.pool(m).vector.to_vector();
  const std::vector<float> want{1, 2.0f / 3.0f, -2, -3};
  for (std::size_t i = 0; i < 4; ++i) EXPECT_NEAR(got[i], want[i], 1e-6f) << i;
}

TEST(ClassifierHead, LogitsAndGradientsForEveryPooling) {
  std::mt19937 rng(11);
  for (Pooling p : {Pooling::last, Pooling::mean, Pooling::max, Pooling::attention}) {
    SCOPED_TRACE(static_cast<int>(p));
    ClassifierSettings s = settings(p);
    s.hidden_size = 4;
    ClassifierHead head(s, 2, 2, 3);
    head.eval();
    EXPECT_EQ(head.forward(memory_of(sample_states())).shape(), (Shape{2, 3}));
    Tensor probe = recur::testing::random_tensor({2, 3}, rng);
    recur::testing::check_gradients(
        [&](const std::vector<Tensor>& in) {
          Memory m = memory_of(in[0]);
          m.summary = in[1];
          return ops::sum(ops::mul(head.forward(m), probe));
        },
        {recur::testing::random_tensor({2, 3, 2}, rng, -2.0f, 2.0f), recur::testing::random_tensor({2, 2}, rng)});
  }
}

TEST(ClassifierHead, SettingsAndErrors) {
  auto parse = [](const std::string& yaml) {
    return parse_classifier_settings(config::load_string(yaml, "p.yaml", ".").section("classifier"));
  };
  const ClassifierSettings s = parse("classifier:\n  pooling: attention\n  attention_size: 8\n  hidden_size: 16\n");
  EXPECT_EQ(s.pooling, Pooling::attention);
  EXPECT_EQ(s.attention_size, 8);
  EXPECT_EQ(s.hidden_size, 16);
  EXPECT_THROW(parse("classifier:\n  pooling: sum\n"), ConfigError);
  EXPECT_THROW(parse("classifier:\n  pooling: mean\n  attention_size: 8\n"), ConfigError);
  EXPECT_THROW(parse("classifier:\n  poling: mean\n"), ConfigError);
  EXPECT_THROW(ClassifierHead(settings(Pooling::last), 2, 2, 1), Error);
}

}  // namespace
}  // namespace recur::tasks
