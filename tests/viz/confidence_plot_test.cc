// The confidence figure: a cell per candidate coloured by its probability, the chosen
// piece outlined, long outputs wrapped into bands.
#include <gtest/gtest.h>

#include "golden.h"
#include "pixels.h"
#include "recur/viz/plots.h"

namespace recur::viz {
namespace {

TokenConfidence record(std::size_t steps, std::size_t k) {
  TokenConfidence r;
  r.line = 4;
  for (std::size_t s = 0; s < steps; ++s) {
    r.tokens.push_back(s + 1 == steps ? "</s>" : "t" + std::to_string(s));
    std::vector<TokenCandidate>& top = r.top_k.emplace_back();
    for (std::size_t i = 0; i < k; ++i) {
      // The chosen piece is first at even steps and second at odd ones.
      const bool chosen = (s % 2 == 0) == (i == 0);
      top.push_back({chosen ? r.tokens.back() : "c" + std::to_string(i), i == 0 ? 0.7f : 0.1f});
    }
  }
  return r;
}

TEST(ConfidenceFigure, OneHotspotPerCandidateNamingStepRankAndChoice) {
  const Figure f = confidence_figure(record(5, 3));
  ASSERT_EQ(f.hotspots.size(), 15u);
  EXPECT_EQ(f.hotspots[4].text, "step 1, rank 2: \u2018t1\u2019 0.10 (chosen \u2018t1\u2019)");
  // Step 1's cells sit to the right of step 0's, ranks downward.
  EXPECT_GT(f.hotspots[3].rect.x, f.hotspots[0].rect.x);
  EXPECT_GT(f.hotspots[1].rect.y, f.hotspots[0].rect.y);
}

TEST(ConfidenceFigure, CellsTakeTheColourOfTheirProbabilityAndTheChoiceIsOutlined) {
  const Figure f = confidence_figure(record(3, 2));
  const Drawn d(f);
  // Step 1: rank 1 (p 0.7, not chosen), rank 2 (p 0.1, chosen: a red outline inside it).
  const Rect first = f.hotspots[2].rect, second = f.hotspots[3].rect;
  EXPECT_TRUE(near(d.at(first.x + 2, first.y + first.height / 2), viridis(0.7)));
  EXPECT_TRUE(near(d.at(second.x + 5, second.y + second.height / 2), viridis(0.1)));
  const Rgb outline = d.at(second.x + 1.6, second.y + second.height / 2);
  EXPECT_GT(outline.r, 0.8);
  EXPECT_LT(outline.g, 0.25);
  const Rgb not_outlined = d.at(first.x + 1.6, first.y + first.height / 2);
  EXPECT_TRUE(near(not_outlined, viridis(0.7)));
}

TEST(ConfidenceFigure, ALongOutputWrapsIntoBands) {
  const Figure short_line = confidence_figure(record(10, 3));
  const Figure long_line = confidence_figure(record(200, 3));
  EXPECT_LE(long_line.width, 1300);
  EXPECT_GT(long_line.height, 4 * short_line.height);
  // The last step is below the first, in a later band.
  EXPECT_GT(long_line.hotspots.back().rect.y, long_line.hotspots.front().rect.y + 3 * 34);
}

// Made by this test with RECUR_UPDATE_GOLDEN=1; looked at before it was committed.
TEST(ConfidenceFigure, MatchesTheGoldenImage) {
  TokenConfidence r = record(6, 3);
  r.tokens[2] = "\u2581été";
  r.top_k[2][0].piece = "\u2581été";
  r.top_k[2][1].piece = "日本";
  expect_matches_golden(confidence_figure(r), "confidence_golden.png");
}

TEST(ConfidenceFigure, ABlankLineIsAnEmptyPicture) {
  TokenConfidence r;
  r.line = 2;
  const Figure f = confidence_figure(r);
  EXPECT_TRUE(f.hotspots.empty());
  EXPECT_GT(f.width, 0);
  const Drawn d(f);  // draws without error
}

}  // namespace
}  // namespace recur::viz
