// The time column of a series: its stamps, the regular step between them, and the
// stamps that continue it past the end (what `recur forecast` writes).
//
// Two kinds of stamps are understood:
//   integers      "1700", "1701", ... (years, or any index): the step is their
//                 constant difference;
//   ISO dates     "1958-03-01" (YYYY-MM-DD): the step is a constant number of days
//                 (daily, weekly) or, when every stamp falls on the same day of the month,
//                 a constant number of months (monthly 1, quarterly 3, yearly 12).
// Stamps must increase by exactly one step from row to row: an unsorted, repeated or
// unparsable stamp, or a gap (a missing row, which would silently shift every window
// after it), is an IoError naming file:line:column.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace recur::data {

enum class TimeUnit { integer, day, month };

class TimeAxis {
 public:
  // Infers the step from the first two stamps and checks every other. `lines[i]` is the
  // file line of stamps[i], `file` and `column` name them in errors. At least 2 stamps.
  static TimeAxis infer(const std::vector<std::string>& stamps, const std::vector<std::uint64_t>& lines,
                        const std::string& file, const std::string& column);

  TimeUnit unit() const { return unit_; }
  std::int64_t step() const { return step_; }  // in units
  // The absolute position of row i in steps (e.g. months since year 0 for monthly
  // data): calendar features are periodic in it, and they continue past the end.
  std::int64_t ordinal(std::int64_t row) const { return first_ordinal_ + row; }
  // The `count` stamps after the last one, in the series' own format.
  std::vector<std::string> continue_after(std::int64_t count) const;
  // The axis of the first `rows` rows (a history that ends earlier).
  TimeAxis head(std::int64_t rows) const;
  std::int64_t rows() const { return rows_; }
  // "1 month", "7 days", "1 step"...
  std::string describe() const;

 private:
  TimeUnit unit_ = TimeUnit::integer;
  std::int64_t step_ = 1;
  std::int64_t last_value_ = 0;   // the last stamp in units (integer, days or months)
  std::int64_t day_of_month_ = 1;  // month steps
  std::int64_t first_ordinal_ = 0;
  std::int64_t rows_ = 0;
};

}  // namespace recur::data
