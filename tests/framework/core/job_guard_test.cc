#include "recur/core/job_guard.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace recur {
namespace {

using ::testing::ExitedWithCode;

TEST(JobGuardDeathTest, AnExitDuringAJobEndsWithStatus70AndSaysSo) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        JobGuard job("translating");
        std::exit(0);
      },
      ExitedWithCode(70),
      "^recur: error: the process was told to exit while translating \\(exit\\(\\) called by a "
      "plugin\\?\\)\n$");
  EXPECT_EXIT(
      {
        JobGuard outer("training");
        JobGuard inner("exporting");
        std::quick_exit(0);
      },
      ExitedWithCode(70), "while training");
}

TEST(JobGuardDeathTest, AnExitAfterTheJobIsUntouched) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        { JobGuard job("translating"); }
        std::exit(3);
      },
      ExitedWithCode(3), "^$");
  EXPECT_FALSE(JobGuard::active());
  {
    JobGuard job("x");
    EXPECT_TRUE(JobGuard::active());
  }
  EXPECT_FALSE(JobGuard::active());
}

}  // namespace
}  // namespace recur
