// Text features per token and the ranking of units by their correlation with a feature.
#include "recur/viz/text_features.h"

#include <gtest/gtest.h>

#include "recur/core/error.h"

namespace recur::viz {
namespace {

std::vector<std::string> chars(const std::string& text) {
  std::vector<std::string> tokens;
  for (char c : text) tokens.emplace_back(1, c);
  return tokens;
}

TEST(TextFeatures, NamesAndUnknownNames) {
  EXPECT_EQ(text_feature("quotes"), TextFeature::kQuotes);
  EXPECT_EQ(text_feature("position"), TextFeature::kPosition);
  EXPECT_EQ(text_feature("brackets"), TextFeature::kBrackets);
  EXPECT_FALSE(text_feature("vowels"));
  EXPECT_STREQ(feature_name(TextFeature::kBrackets), "brackets");
}

TEST(TextFeatures, QuotesIncludeTheirMarksAndEndAtABlankLine) {
  EXPECT_EQ(feature_values(TextFeature::kQuotes, chars(R"(a "bc" d)")),
            (std::vector<double>{0, 0, 1, 1, 1, 1, 0, 0}));
  // An unclosed quote runs over a line break but not past a blank line.
  EXPECT_EQ(feature_values(TextFeature::kQuotes, chars("\"a\nb\n\nc")),
            (std::vector<double>{1, 1, 1, 1, 1, 0, 0}));
  // Curly quotes, in a token of several characters (sentencepiece pieces).
  EXPECT_EQ(feature_values(TextFeature::kQuotes, {"x", " \u201cHi", "!\u201d", " y"}),
            (std::vector<double>{0, 1, 1, 0}));
}

TEST(TextFeatures, PositionCountsCodePointsSinceTheLineBreak) {
  EXPECT_EQ(feature_values(TextFeature::kPosition, {"a", "é", "b", "\n", "c", "dé", "f"}),
            (std::vector<double>{0, 1, 2, 3, 0, 1, 3}));
}

TEST(TextFeatures, BracketsNestAndIncludeTheParentheses) {
  EXPECT_EQ(feature_values(TextFeature::kBrackets, chars("a(b(c)d)e)")),
            (std::vector<double>{0, 1, 1, 1, 1, 1, 1, 1, 0, 1}));
}

TEST(TextFeatures, CorrelationIsPearsonsAndZeroForAConstant) {
  EXPECT_NEAR(correlation({1, 2, 3, 4}, {2, 4, 6, 8}), 1.0, 1e-12);
  EXPECT_NEAR(correlation({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0, 1e-12);
  EXPECT_NEAR(correlation({1, 0, 1, 0}, {1, 1, 0, 0}), 0.0, 1e-12);
  EXPECT_EQ(correlation({1, 1, 1}, {1, 2, 3}), 0.0);
  EXPECT_THROW(correlation({1, 2}, {1}), ShapeError);
}

TEST(TextFeatures, RankUnitsFindsTheUnitsThatFollowTheFeature) {
  const std::vector<double> feature{0, 1, 1, 0, 1, 0};
  // Four units over six steps, row-major [T, H]: unit 2 follows the feature, unit 0 its
  // opposite with noise, units 1 and 3 do not follow it.
  const std::vector<float> u0{0.9f, -0.8f, -0.7f, 0.7f, -0.9f, 0.5f}, u1{0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f},
      u2{-0.5f, 0.5f, 0.5f, -0.5f, 0.5f, -0.5f}, u3{0.3f, -0.2f, 0.3f, -0.2f, 0.1f, 0.4f};
  std::vector<float> states;
  for (std::size_t t = 0; t < feature.size(); ++t) {
    for (const auto* u : {&u0, &u1, &u2, &u3}) states.push_back((*u)[t]);
  }
  const auto top = rank_units(states, 4, feature, 2);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].unit, 2);
  EXPECT_NEAR(top[0].correlation, 1.0, 1e-6);
  EXPECT_EQ(top[1].unit, 0);
  EXPECT_LT(top[1].correlation, -0.9);
  EXPECT_EQ(rank_units(states, 4, feature, 10).size(), 4u);
  EXPECT_THROW(rank_units(states, 3, feature, 2), ShapeError);
}

}  // namespace
}  // namespace recur::viz
