// Private header of the config layer (framework/src is on this test's include path).
#include "config/scalar.h"

#include <gtest/gtest.h>

#include <limits>

namespace recur::config::detail {
namespace {

TEST(ConfigScalar, BoolsAreTheCoreSchemaSpellingsOnly) {
  for (auto t : {"true", "True", "TRUE"}) EXPECT_EQ(to_bool(t), true) << t;
  for (auto f : {"false", "False", "FALSE"}) EXPECT_EQ(to_bool(f), false) << f;
  for (auto bad : {"yes", "no", "on", "off", "1", "0", "tRue", "", " true"}) {
    EXPECT_EQ(to_bool(bad), std::nullopt) << bad;
  }
}

TEST(ConfigScalar, IntegersAreDecimalWithOptionalSign) {
  bool overflow = false;
  EXPECT_EQ(to_int("12", overflow), 12);
  EXPECT_EQ(to_int("-7", overflow), -7);
  EXPECT_EQ(to_int("+7", overflow), 7);
  EXPECT_EQ(to_int("007", overflow), 7);
  EXPECT_EQ(to_int("9223372036854775807", overflow), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(to_int("-9223372036854775808", overflow), std::numeric_limits<std::int64_t>::min());
  for (auto bad : {"1.5", "12abc", "1e3", "0x10", "", "+", "-", "+-1", "++1", " 1", "1 ", "1_000"}) {
    EXPECT_EQ(to_int(bad, overflow), std::nullopt) << bad;
    EXPECT_FALSE(overflow) << bad;
  }
  EXPECT_EQ(to_int("9223372036854775808", overflow), std::nullopt);
  EXPECT_TRUE(overflow);
  EXPECT_EQ(to_int("-99999999999999999999999", overflow), std::nullopt);
  EXPECT_TRUE(overflow);
}

TEST(ConfigScalar, RealsAcceptIntegersAndScientificNotation) {
  bool overflow = false;
  EXPECT_EQ(to_real("3", overflow), 3.0);
  EXPECT_EQ(to_real("0.25", overflow), 0.25);
  EXPECT_EQ(to_real("-1.5e-3", overflow), -1.5e-3);
  EXPECT_EQ(to_real("+2E2", overflow), 200.0);
  EXPECT_EQ(to_real(".5", overflow), 0.5);
  for (auto bad : {"inf", "-inf", "nan", ".inf", ".nan", "infinity", "nan(1)", "1.5.2", "1e", "e5", "abc",
                   "", "0x1p3", "1,5"}) {
    EXPECT_EQ(to_real(bad, overflow), std::nullopt) << bad;
    EXPECT_FALSE(overflow) << bad;
  }
  EXPECT_EQ(to_real("1e999", overflow), std::nullopt);
  EXPECT_TRUE(overflow);
}

}  // namespace
}  // namespace recur::config::detail
