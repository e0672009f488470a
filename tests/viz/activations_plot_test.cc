// The activations figure: each token's box takes the diverging colour of the unit's value;
// shapes that do not fit are refused.
#include "recur/viz/activations_plot.h"

#include <gtest/gtest.h>

#include "golden.h"
#include "pixels.h"
#include "recur/core/error.h"

namespace recur::viz {
namespace {

ActivationsSpec spec() {
  ActivationsSpec s;
  s.title = "activations";
  s.tokens = {"\"", "H", "i", "\"", " ", "(", "x", ")", "\n", "W"};
  s.units.push_back({7, {-1, -0.5f, 0, 0.5f, 1, 0.9f, -0.9f, 0.2f, 0, 0.1f}, 0.8});
  s.units.push_back({12, std::vector<float>(10, 0.25f), std::nullopt});
  s.feature_name = "quotes";
  s.feature = {1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
  return s;
}

TEST(ActivationsFigure, AHotspotPerTokenAndUnit) {
  const Figure f = activations_figure(spec());
  ASSERT_EQ(f.hotspots.size(), 20u);
  EXPECT_EQ(f.hotspots[4].text, "unit 7, token 4 \u2018\u2423\u2019: +1.000");
  EXPECT_EQ(f.hotspots[10].text.rfind("unit 12, token 0", 0), 0u);
  // The line break ends the line: the token after it starts a new one, at the left.
  EXPECT_GT(f.hotspots[9].rect.y, f.hotspots[8].rect.y);
  EXPECT_DOUBLE_EQ(f.hotspots[9].rect.x, f.hotspots[0].rect.x);
}

TEST(ActivationsFigure, TokensAreColouredByTheirActivation) {
  const ActivationsSpec s = spec();
  const Figure f = activations_figure(s);
  const Drawn d(f);
  for (std::size_t t : {2u, 4u, 6u, 9u}) {
    const Rect& box = f.hotspots[t].rect;
    EXPECT_TRUE(near(d.at(box.x + 1, box.y + 1), diverging(s.units[0].values[t]))) << t;
  }
  EXPECT_TRUE(near(diverging(0), {0.969, 0.969, 0.969}));
  EXPECT_GT(diverging(1).r, 0.3);
  EXPECT_LT(diverging(1).b, 0.2);
  EXPECT_GT(diverging(-1).b, 0.3);
}

// Made by this test with RECUR_UPDATE_GOLDEN=1; looked at before it was committed.
TEST(ActivationsFigure, MatchesTheGoldenImage) {
  expect_matches_golden(activations_figure(spec()), "activations_golden.png");
}

TEST(ActivationsFigure, RefusesValuesThatDoNotMatchTheTokens) {
  ActivationsSpec s = spec();
  s.units[1].values.pop_back();
  EXPECT_THROW(activations_figure(s), ShapeError);
  s = spec();
  s.feature.push_back(1);
  EXPECT_THROW(activations_figure(s), ShapeError);
}

}  // namespace
}  // namespace recur::viz
