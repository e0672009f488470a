#include "recur/metrics/exact_match.h"

#include <gtest/gtest.h>

#include "recur/core/error.h"

namespace recur::metrics {
namespace {

TEST(ExactMatch, WhitespaceIsNormalisedCaseAndPunctuationCount) {
  EXPECT_EQ(normalise_whitespace("  flag:\tEgypt \n"), "flag: Egypt");
  EXPECT_DOUBLE_EQ(corpus_exact_match({" flag:  Egypt", "Flag: Egypt", "flag Egypt", "x"},
                                      {{"flag: Egypt", "flag: Egypt", "flag: Egypt", "y"}}),
                   25.0);
}

TEST(ExactMatch, AnyReferenceCountsAndEmptyOnesAreIgnored) {
  EXPECT_DOUBLE_EQ(corpus_exact_match({"a", "b"}, {{"x", "b"}, {"a", ""}}), 100.0);
  EXPECT_DOUBLE_EQ(corpus_exact_match({"", "b"}, {{"a", "c"}}), 0.0);
  EXPECT_THROW(corpus_exact_match({"a"}, {{""}}), Error);  // no usable reference
}

}  // namespace
}  // namespace recur::metrics
