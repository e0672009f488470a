// CIDEr-D against hand-derived values and against scripts/reference/cider_d.py, an
// independent stdlib re-implementation of pycocoevalcap's CiderScorer
// (`/usr/bin/python3 scripts/reference/cider_d.py --cases` prints every number below).
#include "recur/metrics/cider.h"

#include <gtest/gtest.h>

#include <cmath>

#include "recur/core/error.h"

namespace recur::metrics {
namespace {

constexpr double kTol = 1e-9;

using Strings = std::vector<std::string>;

TEST(CiderD, TokensAreLowercasedWithPunctuationStripped) {
  EXPECT_EQ(cider_tokens("Woman technologist: Medium-Light skin tone"),
            (Strings{"woman", "technologist", "medium-light", "skin", "tone"}));
  EXPECT_EQ(cider_tokens("  keycap: #  (blood type) \"x\" - ... "),
            (Strings{"keycap", "#", "blood", "type", "x"}));
  EXPECT_TRUE(cider_tokens(" , . ").empty());
}

// Two images, each hypothesis equal to its single reference. With |I| = 2 and every
// n-gram in one image's references, each weight is log 2 - log 1 = log 2, so the cosine
// is 1 for n = 1, 2, 3; three words have no 4-gram (sim 0); lengths agree (penalty 1):
// 10 x (1 + 1 + 1 + 0) / 4 = 7.5 per image.
TEST(CiderD, IdenticalThreeWordCaptionsScoreSevenAndAHalf) {
  const CiderScore s =
      corpus_cider_d({"a cat sits", "A dog runs."}, {{"a cat sits", "a dog runs"}});
  EXPECT_NEAR(s.score, 7.5, kTol);
  ASSERT_EQ(s.segments.size(), 2u);
  EXPECT_NEAR(s.segments[0], 7.5, kTol);
  EXPECT_NEAR(s.segments[1], 7.5, kTol);
}

TEST(CiderD, DisjointCaptionsScoreZero) {
  const CiderScore s = corpus_cider_d({"red car", "blue sky"}, {{"a cat sits", "a dog runs"}});
  EXPECT_EQ(s.score, 0.0);
}

// Image 1: hypothesis "a cat sits on the mat today now" (7 bigrams) against "a cat sits"
// (2 bigrams): penalty exp(-5^2 / 72). "a" occurs in both images (weight 0), every other
// n-gram has weight l = log 2. n=1: hyp {cat, sits, on, the, mat, today, now} -> norm
// l sqrt 7, ref {cat, sits} -> l sqrt 2, dot 2 l^2: 2 / sqrt 14. n=2: the same, 2 /
// sqrt 14. n=3: one of 6 trigrams matches the only reference trigram: 1 / sqrt 6. n=4:
// 0. Image 1 = 10 x exp(-25/72) (4 / sqrt 14 + 1 / sqrt 6) / 4 = 2.6098168418;
// image 2 is identical (7.5); the corpus score is their mean.
TEST(CiderD, GaussianLengthPenalty) {
  const CiderScore s = corpus_cider_d({"a cat sits on the mat today now", "a dog runs"},
                                      {{"a cat sits", "a dog runs"}});
  const double image1 =
      10.0 * std::exp(-25.0 / 72.0) * (4.0 / std::sqrt(14.0) + 1.0 / std::sqrt(6.0)) / 4.0;
  EXPECT_NEAR(image1, 2.6098168418, 1e-9);
  EXPECT_NEAR(s.segments[0], image1, kTol);
  EXPECT_NEAR(s.score, (image1 + 7.5) / 2.0, kTol);
}

// "cat cat cat cat" against "a cat sits": the hypothesis weight of "cat" (4 l) is
// clipped to the reference's (l). scripts/reference/cider_d.py: 0.4358460874.
TEST(CiderD, RepeatedWordsAreClipped) {
  const CiderScore s = corpus_cider_d({"cat cat cat cat", "a dog runs", "a bird flies"},
                                      {{"a cat sits", "a dog runs", "a bird flies"}});
  EXPECT_NEAR(s.segments[0], 0.4358460874, 1e-9);
  EXPECT_NEAR(s.score, 5.1452820291, 1e-9);
}

// Several references per image (streams padded with empty references, which are
// ignored), punctuation and case. scripts/reference/cider_d.py case "emoji".
TEST(CiderD, SeveralReferencesMatchReferenceImplementation) {
  const CiderScore s = corpus_cider_d(
      {"woman technologist: medium skin tone", "flag: Egypt", "grinning face"},
      {{"woman technologist: medium-dark skin tone", "flag: Egypt", "grinning face with big eyes"},
       {"woman technologist", "", "grinning face"}});
  ASSERT_EQ(s.segments.size(), 3u);
  EXPECT_NEAR(s.segments[0], 2.8742356242, 1e-9);
  EXPECT_NEAR(s.segments[1], 5.0, 1e-9);
  EXPECT_NEAR(s.segments[2], 3.7492356242, 1e-9);
  EXPECT_NEAR(s.score, 3.8744904161, 1e-9);
}

TEST(CiderD, ErrorsNameTheSegment) {
  try {
    corpus_cider_d({"a", "b"}, {{"a", ""}});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cider-d: segment 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(corpus_cider_d({"a"}, {{"a", "b"}}), Error);  // stream length differs
  EXPECT_EQ(corpus_cider_d({}, {{}}).score, 0.0);
}

}  // namespace
}  // namespace recur::metrics
