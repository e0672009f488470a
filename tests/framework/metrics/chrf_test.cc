// Reference values are published test cases of sacreBLEU 2.x (github.com/mjpost/sacrebleu,
// test/test_chrf.py), with the options each case was published with.
#include "recur/metrics/chrf.h"

#include <gtest/gtest.h>

#include "recur/core/error.h"

namespace recur::metrics {
namespace {

constexpr double kTol = 1e-4;  // sacreBLEU's own EPSILON for these cases, 0-100 scale

ChrfOptions beta3(bool eps_smoothing, bool whitespace = false) {
  ChrfOptions o;
  o.beta = 3.0;
  o.eps_smoothing = eps_smoothing;
  o.whitespace = whitespace;
  return o;
}

struct Case {
  std::vector<std::string> hyp, ref;
  double expected;
};

TEST(Chrf, SacrebleuEpsSmoothingBeta3) {
  const Case cases[] = {
      {{"abcdefg"}, {"hijklmnop"}, 0.0},
      {{"a"}, {"b"}, 0.0},
      {{""}, {"b"}, 0.0},
      {{""}, {"ref"}, 0.0},
      {{""}, {"reference"}, 0.0},
      {{"aa"}, {"ab"}, 8.3333},
      {{"a", "b"}, {"a", "c"}, 8.3333},
      {{"a"}, {"a"}, 16.6667},
      {{"a b c"}, {"a b c"}, 50.0},
      {{"a b c"}, {"abc"}, 50.0},
      {{" risk assessment must be made of those who are qualified and expertise in the sector - these are the "
        "scientists ."},
       {"risk assessment has to be undertaken by those who are qualified and expert in that area - that is the "
        "scientists ."},
       63.361730},
      {{" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. "},
       {"Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."},
       64.1302698},
      {{"Niemand hat die Absicht, eine Mauer zu errichten"},
       {"Niemand hat die Absicht, eine Mauer zu errichten"},
       100.0},
  };
  for (const Case& c : cases) {
    EXPECT_NEAR(corpus_chrf(c.hyp, {c.ref}, beta3(true)), c.expected, kTol) << c.hyp[0];
  }
}

TEST(Chrf, SacrebleuEffectiveOrderBeta3) {
  const Case cases[] = {
      {{"a"}, {"a"}, 100.0},     {{""}, {"reference"}, 0.0},       {{"a b c"}, {"a b c"}, 100.0},
      {{"a b c"}, {"abc"}, 100.0}, {{""}, {"c"}, 0.0},             {{"a", "b"}, {"a", "c"}, 50.0},
      {{"aa"}, {"ab"}, 25.0},
  };
  for (const Case& c : cases) {
    EXPECT_NEAR(corpus_chrf(c.hyp, {c.ref}, beta3(false)), c.expected, kTol) << c.hyp[0];
  }
}

TEST(Chrf, SacrebleuKeepWhitespaceBeta3) {
  EXPECT_NEAR(corpus_chrf({"Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich."},
                          {{"Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."}},
                          beta3(false, true)),
              67.3481606, kTol);
  EXPECT_NEAR(corpus_chrf({"risk assessment must be made of those who are qualified and expertise in the sector - "
                           "these are the scientists ."},
                          {{"risk assessment has to be undertaken by those who are qualified and expert in that "
                            "area - that is the scientists ."}},
                          beta3(false, true)),
              65.2414427, kTol);
}

TEST(Chrf, SacrebleuSentenceLevelCzech) {
  ChrfOptions o;  // defaults (beta 2) with eps smoothing, as sacrebleu.sentence_chrf in the test
  o.eps_smoothing = true;
  const Case cases[] = {
      {{"Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře."},
       {"Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře."},
       39.14078509},
      {{"Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři."},
       {"A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři."},
       31.22557079},
      {{"Lapali po dechu, jejich životy skončily dřív, než skutečně začaly."},
       {"Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli."},
       57.15704367},
  };
  for (const Case& c : cases) EXPECT_NEAR(corpus_chrf(c.hyp, {c.ref}, o), c.expected, kTol) << c.hyp[0];
}

TEST(Chrf, DefaultsPerfectEmptyAndNoMatch) {
  const std::vector<std::string> text = {"Le café est très chaud.", "Grüße aus Köln"};
  EXPECT_NEAR(corpus_chrf(text, {text}), 100.0, 1e-9);
  EXPECT_EQ(corpus_chrf({"", ""}, {text}), 0.0);
  EXPECT_EQ(corpus_chrf({"xyz", "qqq"}, {{"abc", "def"}}), 0.0);
}

TEST(Chrf, BestReferencePerSegment) {
  // The second reference matches exactly, so the segment scores as a perfect match.
  EXPECT_NEAR(corpus_chrf({"guten Tag"}, {{"bonjour"}, {"guten Tag"}}), 100.0, 1e-9);
}

TEST(Chrf, StatsAddUpOverSegments) {
  const std::vector<std::string> hyp = {"Le chat dort.", "Il pleut beaucoup."};
  const std::vector<std::string> ref = {"Le chat dort bien.", "Il pleut fort."};
  ChrfStats sum = chrf_segment_stats(hyp[0], {ref[0]});
  sum += chrf_segment_stats(hyp[1], {ref[1]});
  EXPECT_NEAR(compute_chrf(sum), corpus_chrf(hyp, {ref}), 1e-12);
}

TEST(Chrf, Errors) {
  EXPECT_THROW(corpus_chrf({"a"}, {{"a", "b"}}), Error);
  EXPECT_THROW(corpus_chrf({"\xFF"}, {{"a"}}), Error);
  ChrfOptions bad;
  bad.char_order = 0;
  EXPECT_THROW(corpus_chrf({"a"}, {{"a"}}, bad), Error);
}

}  // namespace
}  // namespace recur::metrics
