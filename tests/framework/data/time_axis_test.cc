#include "recur/data/time_axis.h"

#include <gtest/gtest.h>

#include "recur/core/error.h"

namespace recur::data {
namespace {

TimeAxis axis(const std::vector<std::string>& stamps) {
  std::vector<std::uint64_t> lines;
  for (std::size_t i = 0; i < stamps.size(); ++i) lines.push_back(i + 2);
  return TimeAxis::infer(stamps, lines, "s.csv", "time");
}

std::string error_of(const std::vector<std::string>& stamps) {
  try {
    axis(stamps);
  } catch (const IoError& e) {
    return e.what();
  }
  return "no error";
}

TEST(TimeAxis, YearsContinueByTheirStep) {
  const TimeAxis a = axis({"1700", "1701", "1702"});
  EXPECT_EQ(a.unit(), TimeUnit::integer);
  EXPECT_EQ(a.continue_after(2), (std::vector<std::string>{"1703", "1704"}));
  EXPECT_EQ(axis({"10", "15", "20"}).continue_after(1), (std::vector<std::string>{"25"}));
  EXPECT_EQ(a.ordinal(0), 1700);
  EXPECT_EQ(a.head(2).continue_after(1), (std::vector<std::string>{"1702"}));
}

TEST(TimeAxis, MonthsQuartersAcrossYearEnds) {
  const TimeAxis m = axis({"2019-11-01", "2019-12-01", "2020-01-01"});
  EXPECT_EQ(m.unit(), TimeUnit::month);
  EXPECT_EQ(m.describe(), "1 month");
  EXPECT_EQ(m.continue_after(2), (std::vector<std::string>{"2020-02-01", "2020-03-01"}));
  EXPECT_EQ(m.ordinal(0) % 12, 10);  // November: calendar features see the month
  const TimeAxis q = axis({"2009-01-01", "2009-04-01", "2009-07-01"});
  EXPECT_EQ(q.describe(), "3 months");
  EXPECT_EQ(q.continue_after(2), (std::vector<std::string>{"2009-10-01", "2010-01-01"}));
  EXPECT_EQ(q.ordinal(1) % 4, 1);  // second quarter
}

TEST(TimeAxis, DaysAndWeeksAcrossLeapDays) {
  const TimeAxis d = axis({"2020-02-27", "2020-02-28", "2020-02-29"});
  EXPECT_EQ(d.unit(), TimeUnit::day);
  EXPECT_EQ(d.continue_after(2), (std::vector<std::string>{"2020-03-01", "2020-03-02"}));
  const TimeAxis w = axis({"1958-03-29", "1958-04-05"});
  EXPECT_EQ(w.describe(), "7 days");
  EXPECT_EQ(w.continue_after(1), (std::vector<std::string>{"1958-04-12"}));
}

TEST(TimeAxis, ErrorsNameFileLineAndColumn) {
  EXPECT_EQ(error_of({"1700", "1701", "1701"}), "s.csv:4:time: '1701' repeats the time of line 3");
  EXPECT_EQ(error_of({"1700", "1702", "1701"}),
            "s.csv:4:time: '1701' comes before '1702' of line 3 (times must increase)");
  EXPECT_EQ(error_of({"2000-01-01", "2000-02-01", "2000-04-01"}),
            "s.csv:4:time: '2000-04-01' is 2 months after '2000-02-01', but the series steps by 1 month "
            "(a missing row? rows must be evenly spaced)");
  EXPECT_EQ(error_of({"1700", "x"}), "s.csv:3:time: 'x' is not a time (expected an integer or YYYY-MM-DD)");
  EXPECT_EQ(error_of({"2001-02-29", "2001-03-01"}),
            "s.csv:2:time: '2001-02-29' is not a time (expected an integer or YYYY-MM-DD)");
  EXPECT_EQ(error_of({"1700", "2000-01-01"}), "s.csv:3:time: '2000-01-01' is not of the same kind as '1700'");
  EXPECT_EQ(error_of({"1700"}), "s.csv: a series needs at least 2 rows, got 1");
}

}  // namespace
}  // namespace recur::data
