#include "recur/metrics/rouge.h"

#include <gtest/gtest.h>

#include <random>

#include "recur/core/error.h"

namespace recur::metrics {
namespace {

// Brute force: the longest subsequence of a (over all 2^|a| subsets) that is also a
// subsequence of b.
std::size_t lcs_brute_force(const std::vector<std::u32string>& a, const std::vector<std::u32string>& b) {
  std::size_t best = 0;
  for (unsigned mask = 0; mask < (1u << a.size()); ++mask) {
    std::size_t j = 0, taken = 0;
    bool ok = true;
    for (std::size_t i = 0; i < a.size() && ok; ++i) {
      if (!(mask & (1u << i))) continue;
      while (j < b.size() && b[j] != a[i]) ++j;
      if (j == b.size()) ok = false; else ++j, ++taken;
    }
    if (ok) best = std::max(best, taken);
  }
  return best;
}

TEST(RougeL, LcsMatchesBruteForce) {
  std::mt19937 rng(7);
  const std::u32string alphabet[] = {U"a", U"b", U"c", U"d"};
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<std::u32string> a(rng() % 11), b(rng() % 11);
    for (auto& t : a) t = alphabet[rng() % 4];
    for (auto& t : b) t = alphabet[rng() % 4];
    ASSERT_EQ(lcs_length(a, b), lcs_brute_force(a, b)) << "trial " << trial;
  }
}

// The examples of Lin (2004), "ROUGE: A Package for Automatic Evaluation of Summaries",
// section 3.1: reference S1 "police killed the gunman".
TEST(RougeL, LinPaperExamples) {
  const RougeLScore s2 = rouge_l_segment("police kill the gunman", "police killed the gunman");
  EXPECT_DOUBLE_EQ(s2.precision, 0.75);
  EXPECT_DOUBLE_EQ(s2.recall, 0.75);
  EXPECT_DOUBLE_EQ(s2.f, 0.75);
  EXPECT_DOUBLE_EQ(rouge_l_segment("the gunman kill police", "police killed the gunman").f, 0.5);
}

TEST(RougeL, FMeasureWithBeta) {
  // LCS 2 ("a c"): P = 2/3, R = 2/4; F1 = 4/7; with beta 2: 5PR / (R + 4P) = (5/3)/(19/6) = 10/19.
  EXPECT_NEAR(rouge_l_segment("a b c", "a x c y").f, 4.0 / 7.0, 1e-12);
  RougeOptions o;
  o.beta = 2.0;
  EXPECT_NEAR(rouge_l_segment("a b c", "a x c y", o).f, 10.0 / 19.0, 1e-12);
}

TEST(RougeL, LowercasesIncludingNonAscii) {
  EXPECT_DOUBLE_EQ(rouge_l_segment("L'ÉTÉ EST CHAUD", "l'été est chaud").f, 1.0);
  EXPECT_DOUBLE_EQ(rouge_l_segment("GRÜSSE aus KÖLN", "grüsse aus köln").f, 1.0);
}

TEST(RougeL, CorpusIsMeanOfBestSegmentF) {
  const std::vector<std::string> hyp = {"police kill the gunman", "totally different", ""};
  const std::vector<std::vector<std::string>> refs = {
      {"police killed the gunman", "nothing here", "empty hypothesis"},
      {"the gunman was killed", "totally different", "x"}};
  // segment 1: best of 0.75 and LCS("the gunman") = 2 -> P 2/4, R 2/4 -> 0.5; segment 2: 1; segment 3: 0.
  EXPECT_NEAR(corpus_rouge_l(hyp, refs), 100.0 * (0.75 + 1.0 + 0.0) / 3.0, 1e-9);
}

TEST(RougeL, EdgeCases) {
  EXPECT_EQ(rouge_l_segment("", "a b").f, 0.0);
  EXPECT_EQ(rouge_l_segment("a b", "").f, 0.0);
  EXPECT_EQ(rouge_l_segment("x y", "a b").f, 0.0);
  EXPECT_NEAR(corpus_rouge_l({"Der Hund schläft."}, {{"Der Hund schläft."}}), 100.0, 1e-12);
  EXPECT_THROW(corpus_rouge_l({"a"}, {{"a", "b"}}), Error);
  EXPECT_THROW(corpus_rouge_l({"a"}, {{""}}), Error);
}

}  // namespace
}  // namespace recur::metrics

namespace recur::metrics {
namespace {

// The example of Google's rouge-score README: scorer.score(target, prediction) with
// target "The quick brown fox jumps over the lazy dog" and prediction "The quick brown
// dog jumps on the log." gives rouge1 P 0.75 R 0.6667 F 0.7059 and rougeL P 0.625
// R 0.5556 F 0.5882. ROUGE-2 by hand: 2 of the prediction's 7 bigrams ("the quick",
// "quick brown") are among the target's 8, so P = 2/7, R = 2/8.
TEST(Rouge, MatchesRougeScorePublishedExample) {
  const char* target = "The quick brown fox jumps over the lazy dog";
  const char* prediction = "The quick brown dog jumps on the log.";
  const RougeScore r1 = rouge_n_segment(prediction, target, 1);
  EXPECT_DOUBLE_EQ(r1.precision, 0.75);
  EXPECT_NEAR(r1.recall, 6.0 / 9.0, 1e-12);
  EXPECT_NEAR(r1.f, 0.7058823529411765, 1e-12);
  const RougeScore rl = rouge_l_segment(prediction, target);
  EXPECT_DOUBLE_EQ(rl.precision, 0.625);
  EXPECT_NEAR(rl.recall, 5.0 / 9.0, 1e-12);
  EXPECT_NEAR(rl.f, 0.5882352941176471, 1e-12);
  const RougeScore r2 = rouge_n_segment(prediction, target, 2);
  EXPECT_NEAR(r2.precision, 2.0 / 7.0, 1e-12);
  EXPECT_NEAR(r2.recall, 0.25, 1e-12);
  EXPECT_NEAR(r2.f, 2.0 * (2.0 / 7.0) * 0.25 / (2.0 / 7.0 + 0.25), 1e-12);
}

TEST(Rouge, TokensSplitAtAsciiPunctuationAndKeepOtherLetters) {
  const std::vector<std::u32string> want{U"apt", U"get", U"s", U"café", U"2"};
  EXPECT_EQ(rouge_tokens("Apt-get's CAFÉ (2)"), want);
}

TEST(Rouge, NGramCountsAreClipped) {
  // "the the the" against "the cat": one "the" matches.
  const RougeScore s = rouge_n_segment("the the the", "the cat", 1);
  EXPECT_NEAR(s.precision, 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(s.recall, 0.5, 1e-12);
  EXPECT_EQ(rouge_n_segment("a", "a b", 2).f, 0.0);  // no bigram in the hypothesis
  EXPECT_THROW(rouge_n_segment("a", "a", 0), Error);
}

TEST(Rouge, CorpusRougeNIsMeanOfBestSegmentF) {
  const std::vector<std::string> hyp{"a b c", "x"};
  const std::vector<std::vector<std::string>> refs{{"a b c", "y"}, {"a b d", "x"}};
  // Segment 1: best of (a b c | a b c) = 1 and (a b c | a b d) = 2/3 -> 1; segment 2: x|y
  // = 0, x|x = 1 -> 1.
  EXPECT_NEAR(corpus_rouge_n(hyp, refs, 1), 100.0, 1e-9);
  EXPECT_NEAR(corpus_rouge_n({"a b c"}, {{"a b d"}}, 2), 50.0, 1e-9);
}

}  // namespace
}  // namespace recur::metrics
