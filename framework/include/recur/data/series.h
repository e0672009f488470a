// A time series read from CSV: a time column and one or more named value columns.
//
//   time,co2,co2_adjusted
//   1958-03-01,315.70,314.44
//
// The first line is the header; fields are separated by commas (double quotes around a
// field are removed; quoted commas are not supported). Rows are checked, never repaired
// silently: a row with the wrong number of fields, a value that is not a finite number,
// and unsorted, repeated or unevenly spaced times (time_axis.h) are IoErrors naming
// file:line:column. A missing value (an empty field, NA, NaN, null) is an error too,
// unless `missing: interpolate` is asked for: then it is filled by linear interpolation
// between the nearest values before and after it in its column (the nearest one at
// either end of the series), and the count of filled cells is reported.
#pragma once

#include <cstdint>
#include <filesystem>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "recur/data/time_axis.h"

namespace recur::data {

enum class MissingValues { error, interpolate };

struct SeriesReadOptions {
  std::string time_column = "time";
  // The value columns to read, in this order; empty: every column but the time column.
  std::vector<std::string> columns;
  MissingValues missing = MissingValues::error;
};

struct Series {
  std::string file;                          // as given, for messages
  std::string time_column;
  std::vector<std::string> times;            // as written
  std::vector<std::uint64_t> lines;          // the file line of each row
  TimeAxis axis;
  std::vector<std::string> columns;          // the value columns read
  std::vector<std::vector<double>> values;   // [column][row]
  std::int64_t filled = 0;                   // cells filled by interpolation

  std::int64_t length() const { return static_cast<std::int64_t>(times.size()); }
  // The values of a column by name (IoError naming the file and the columns there are).
  const std::vector<double>& column(const std::string& name) const;
  // The first `rows` rows (a history that ends earlier), same columns.
  Series head(std::int64_t rows) const;
};

Series read_series_csv(std::istream& in, const std::string& name, const SeriesReadOptions& options);
Series read_series_csv(const std::filesystem::path& path, const SeriesReadOptions& options);

// CSV output, appended to a string (a backtest writes millions of fields): a field
// holding a comma, quote or newline is quoted (quotes doubled); a row ends with '\n'.
void append_csv_field(std::string& out, std::string_view field);
void append_csv_row(std::string& out, const std::vector<std::string>& fields);

}  // namespace recur::data
