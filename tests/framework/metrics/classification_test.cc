// metrics::classification_scores against hand-computed values (sklearn's accuracy_score
// and f1_score(average='macro', zero_division=0) give the same on these lists).
#include "recur/metrics/classification.h"

#include <gtest/gtest.h>

#include "recur/core/error.h"

namespace recur::metrics {
namespace {

TEST(ClassificationScores, AccuracyMacroF1AndConfusion) {
  // reference: a a a b b c ; predicted: a a b b c c
  // a: tp 2 fp 0 fn 1 -> F1 4/5; b: tp 1 fp 1 fn 1 -> 2/4; c: tp 1 fp 1 fn 0 -> 2/3.
  const auto s = classification_scores({"a", "a", "b", "b", "c", "c"}, {"a", "a", "a", "b", "b", "c"});
  EXPECT_NEAR(s.accuracy, 400.0 / 6.0, 1e-9);
  EXPECT_NEAR(s.macro_f1, 100.0 * (0.8 + 0.5 + 2.0 / 3.0) / 3.0, 1e-9);
  ASSERT_EQ(s.labels, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(s.confusion, (std::vector<std::vector<std::int64_t>>{{2, 1, 0}, {0, 1, 1}, {0, 0, 1}}));
  EXPECT_EQ(s.segments, 6);
}

TEST(ClassificationScores, ALabelOnlyPredictedCountsWithF1Zero) {
  // "x" is never a reference: it joins the label set with F1 0 (sklearn's macro average
  // over the union of labels).
  const auto s = classification_scores({"a", "x"}, {"a", "b"});
  EXPECT_EQ(s.labels, (std::vector<std::string>{"a", "b", "x"}));
  EXPECT_NEAR(s.macro_f1, 100.0 / 3.0, 1e-9);
  EXPECT_NEAR(s.accuracy, 50.0, 1e-9);
}

TEST(ClassificationScores, EmptyAndMismatchedInputs) {
  const auto s = classification_scores({}, {});
  EXPECT_EQ(s.accuracy, 0.0);
  EXPECT_EQ(s.segments, 0);
  EXPECT_THROW(classification_scores({"a"}, {"a", "b"}), Error);
}

}  // namespace
}  // namespace recur::metrics
