#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "recur/core/error.h"
#include "recur/data/series.h"

namespace recur::data {
namespace {

Series read(const std::string& text, SeriesReadOptions o = {}) {
  std::istringstream in(text);
  return read_series_csv(in, "s.csv", o);
}

std::string error_of(const std::string& text, SeriesReadOptions o = {}) {
  try {
    read(text, o);
  } catch (const IoError& e) {
    return e.what();
  }
  return "no error";
}

TEST(SeriesCsv, ReadsNamedColumnsInTheirOrder) {
  SeriesReadOptions o;
  o.columns = {"b", "a"};
  const Series s = read("a,time,b\r\n1,2000,\"10\"\n2.5,2001,-1e1\n\n", o);
  EXPECT_EQ(s.times, (std::vector<std::string>{"2000", "2001"}));
  EXPECT_EQ(s.lines, (std::vector<std::uint64_t>{2, 3}));
  EXPECT_EQ(s.columns, (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(s.column("b"), (std::vector<double>{10, -10}));
  EXPECT_EQ(s.column("a"), (std::vector<double>{1, 2.5}));
  EXPECT_EQ(read("time,x,y\n1,1,2\n2,3,4\n").columns, (std::vector<std::string>{"x", "y"}));
  const Series h = s.head(1);
  EXPECT_EQ(h.length(), 1);
  EXPECT_EQ(h.column("a"), (std::vector<double>{1}));
  EXPECT_EQ(h.axis.continue_after(1), (std::vector<std::string>{"2001"}));
}

TEST(SeriesCsv, BadCellsNameFileLineAndColumn) {
  EXPECT_EQ(error_of("time,x\n1,1\n2,abc\n"), "s.csv:3:x: 'abc' is not a finite number");
  EXPECT_EQ(error_of("time,x\n1,1\n2,1e999\n"), "s.csv:3:x: '1e999' is not a finite number");
  EXPECT_EQ(error_of("time,x\n1,1\n2,inf\n"), "s.csv:3:x: 'inf' is not a finite number");
  EXPECT_EQ(error_of("time,x\n1,NA\n2,1\n"),
            "s.csv:2:x: missing value (the series' `missing: interpolate` fills it)");
  EXPECT_EQ(error_of("time,x\n1,1,3\n"), "s.csv:2: 3 fields, the header has 2");
  EXPECT_EQ(error_of("t,x\n1,1\n"), "s.csv:1: no column 'time' in the header (t, x)");
  SeriesReadOptions o;
  o.columns = {"y"};
  EXPECT_EQ(error_of("time,x\n1,1\n", o), "s.csv:1: no column 'y' in the header (time, x)");
  EXPECT_EQ(error_of("time,x\n1,1\n3,2\n2,3\n"), "s.csv:4:time: '2' comes before '3' of line 3 (times must increase)");
  EXPECT_EQ(error_of(""), "s.csv: empty file (expected a header line)");
}

TEST(SeriesCsv, InterpolationFillsLinearlyAndAtTheEnds) {
  SeriesReadOptions o;
  o.missing = MissingValues::interpolate;
  const Series s = read("time,x\n1,\n2,2\n3,nan\n4,NA\n5,8\n6,null\n", o);
  EXPECT_EQ(s.column("x"), (std::vector<double>{2, 2, 4, 6, 8, 8}));
  EXPECT_EQ(s.filled, 4);
  EXPECT_EQ(error_of("time,x\n1,\n2,\n", o), "s.csv: column 'x' has no value at all");
}

TEST(SeriesCsv, WritesQuotedFieldsOnlyWhenNeeded) {
  std::string out = "x\n";
  append_csv_row(out, {"time", "a,b", "say \"hi\"", "1.5"});
  EXPECT_EQ(out, "x\ntime,\"a,b\",\"say \"\"hi\"\"\",1.5\n");
  append_csv_field(out, "line\nbreak");
  EXPECT_EQ(out.substr(out.size() - 12), "\"line\nbreak\"");
}

}  // namespace
}  // namespace recur::data
