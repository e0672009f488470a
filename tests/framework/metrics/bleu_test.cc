// Reference values are published test cases of sacreBLEU 2.x (github.com/mjpost/sacrebleu,
// test/test_bleu.py). sacreBLEU's raw_corpus_bleu(h, r, v) is corpus BLEU with no
// tokenisation, floor smoothing of value v and effective order.
#include "recur/metrics/bleu.h"

#include <gtest/gtest.h>

#include "recur/core/error.h"

namespace recur::metrics {
namespace {

constexpr double kTol = 1e-4;  // on the 0-100 scale

const std::vector<std::string> kHyps = {"The dog bit the man.", "It wasn't surprising.",
                                        "The man had just bitten him."};
const std::vector<std::vector<std::string>> kRefs = {
    {"The dog bit the man.", "It was not unexpected.", "The man bit him first."},
    {"The dog had bit the man.", "No one was surprised.", "The man had bitten the dog."}};

BleuOptions raw(double floor) {
  BleuOptions o;
  o.tokenize = BleuTokenize::kNone;
  o.smoothing = BleuSmoothing::kFloor;
  o.smooth_value = floor;
  o.effective_order = true;
  return o;
}

TEST(Bleu, SacrebleuCorpusDefaults) {
  EXPECT_NEAR(corpus_bleu(kHyps, kRefs).score, 48.530827, kTol);
}

TEST(Bleu, SacrebleuNoTokenisation) {
  BleuOptions o;
  o.tokenize = BleuTokenize::kNone;
  EXPECT_NEAR(corpus_bleu(kHyps, kRefs, o).score, 49.1919566, kTol);
}

TEST(Bleu, SacrebleuNoSmoothing) {
  BleuOptions o;
  o.smoothing = BleuSmoothing::kNone;
  EXPECT_NEAR(corpus_bleu(kHyps, kRefs, o).score, 48.530827, kTol);
}

TEST(Bleu, SacrebleuMaxOrder) {
  const double expected[] = {77.65, 60.50, 53.93, 48.53, 46.14, 43.28};  // printed to 2 decimals
  for (int order = 1; order <= 6; ++order) {
    BleuOptions o;
    o.max_order = order;
    EXPECT_NEAR(corpus_bleu(kHyps, kRefs, o).score, expected[order - 1], 0.005) << "order " << order;
  }
}

TEST(Bleu, EmptyHypothesesScoreZero) {
  const BleuScore s = corpus_bleu({"", "", ""}, kRefs);
  EXPECT_EQ(s.score, 0.0);
  EXPECT_EQ(s.stats.hyp_len, 0);
  EXPECT_EQ(s.brevity_penalty, 0.0);
}

TEST(Bleu, SacrebleuRawCases) {
  EXPECT_NEAR(corpus_bleu({"this is a test", "another test"}, {{"ref1", "ref2"}}, raw(0.01)).score, 0.0, kTol);
  EXPECT_NEAR(corpus_bleu({"this is a test"}, {{"this is a test"}}, raw(0.01)).score, 100.0, kTol);
  EXPECT_NEAR(corpus_bleu({"this is a fest"}, {{"this is a test"}}, raw(0.01)).score, 22.3606797749979, kTol);
}

TEST(Bleu, SacrebleuEffectiveOrder) {
  EXPECT_NEAR(corpus_bleu({"test"}, {{"a test"}}, raw(0.01)).score, 36.78794411714425, kTol);
  EXPECT_NEAR(corpus_bleu({"a test"}, {{"a test"}}, raw(0.01)).score, 100.0, kTol);
  EXPECT_NEAR(corpus_bleu({"a little test"}, {{"a test"}}, raw(0.01)).score, 3.218297948685433, kTol);
}

TEST(Bleu, SacrebleuStatisticsAndOffset) {
  const std::vector<std::string> hyp = {"am I am a character sequence"};
  const std::vector<std::vector<std::string>> ref = {{"I am a symbol string sequence a a"}};
  const BleuScore s = corpus_bleu(hyp, ref, raw(0.01));
  EXPECT_EQ(s.stats.correct, (std::vector<std::int64_t>{4, 2, 1, 0}));
  EXPECT_EQ(s.stats.total, (std::vector<std::int64_t>{6, 5, 4, 3}));
  EXPECT_NEAR(corpus_bleu(hyp, ref, raw(0.0)).score, 0.0, kTol);
  EXPECT_NEAR(corpus_bleu(hyp, ref, raw(-1.0)).score, 15.55722182, kTol);  // default floor 0.1
}

TEST(Bleu, SacrebleuScoringFromStatistics) {
  BleuStats st{{9, 7, 5, 3}, {10, 8, 6, 4}, 11, 11};
  BleuOptions o;
  o.smoothing = BleuSmoothing::kNone;
  EXPECT_NEAR(compute_bleu(st, o).score, 83.75922397, kTol);
}

TEST(Bleu, SacrebleuDegenerateStatistics) {
  struct Case { BleuStats stats; double floor; };
  const Case cases[] = {{{{0, 0, 0, 0}, {4, 4, 2, 1}, 0, 1}, 0.0},
                        {{{0, 0, 0, 0}, {10, 11, 12, 0}, 14, 10}, 0.0},
                        {{{0, 0, 0, 0}, {0, 0, 0, 0}, 0, 0}, 0.0},
                        {{{6, 5, 4, 0}, {6, 5, 4, 3}, 6, 6}, 0.0},
                        {{{0, 0, 0, 0}, {0, 0, 0, 0}, 0, 0}, 0.1},
                        {{{0, 0, 0, 0}, {0, 0, 0, 0}, 1, 5}, 0.01}};
  for (const Case& c : cases) {
    BleuOptions o;
    o.smoothing = BleuSmoothing::kFloor;
    o.smooth_value = c.floor;
    EXPECT_EQ(compute_bleu(c.stats, o).score, 0.0);
  }
}

TEST(Bleu, PerfectMatchIs100NoMatchIs0) {
  const std::vector<std::string> text = {"Le chat dort sur le canapé.", "Der Hund schläft."};
  EXPECT_NEAR(corpus_bleu(text, {text}).score, 100.0, 1e-9);
  EXPECT_EQ(corpus_bleu({"xyz uvw", "qqq"}, {text}).score, 0.0);
}

TEST(Bleu, StatsAddUpOverSegments) {
  BleuStats sum = bleu_segment_stats(kHyps[0], {kRefs[0][0], kRefs[1][0]});
  for (std::size_t i = 1; i < kHyps.size(); ++i) sum += bleu_segment_stats(kHyps[i], {kRefs[0][i], kRefs[1][i]});
  EXPECT_NEAR(compute_bleu(sum).score, corpus_bleu(kHyps, kRefs).score, 1e-12);
}

TEST(Bleu, Tokenize13a) {
  EXPECT_EQ(tokenize_13a("It wasn't surprising."), "It wasn't surprising .");
  EXPECT_EQ(tokenize_13a("a,b 1,000.5 3-4 x-y &quot;q&quot; (p)"), "a , b 1,000.5 3 - 4 x-y \" q \" ( p )");
  EXPECT_EQ(tokenize_13a("C'est l'été, déjà!"), "C'est l'été , déjà !");
  EXPECT_EQ(tokenize_13a("  spaced\tout  "), "spaced out");
}

TEST(Bleu, ErrorsNameTheSegment) {
  try {
    corpus_bleu({"ok", "bad \xC3"}, {{"ok", "fine"}});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("segment 2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("byte 4"), std::string::npos) << e.what();
  }
  EXPECT_THROW(corpus_bleu({"a", "b"}, {{"a"}}), Error);        // stream lengths differ
  EXPECT_THROW(corpus_bleu({"a"}, {{""}}), Error);              // no usable reference
  EXPECT_THROW(corpus_bleu({"a"}, {}), Error);                  // no reference stream
  EXPECT_NO_THROW(corpus_bleu({"a"}, {{""}, {"a"}}));           // empty references are skipped
}

}  // namespace
}  // namespace recur::metrics
