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
