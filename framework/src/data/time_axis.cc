#include "recur/data/time_axis.h"

#include <charconv>
#include <cstdio>
#include <optional>

#include "recur/core/error.h"

namespace recur::data {

namespace {

struct Stamp {
  TimeUnit kind;          // integer or day (dates)
  std::int64_t value;     // the integer, or days since 1970-01-01
  std::int64_t months;    // dates: year * 12 + month - 1
  std::int64_t day;       // dates: day of the month
};

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, std::int64_t m, std::int64_t d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, std::int64_t& m, std::int64_t& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp + (mp < 10 ? 3 : -9);
  y = yoe + era * 400 + (m <= 2);
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

std::int64_t days_in_month(std::int64_t y, std::int64_t m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

std::optional<std::int64_t> whole(std::string_view s) {
  std::int64_t v = 0;
  if (s.empty()) return std::nullopt;
  const char* begin = s.data() + (s[0] == '+' ? 1 : 0);
  auto [end, ec] = std::from_chars(begin, s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<Stamp> parse(const std::string& s) {
  if (auto v = whole(s)) return Stamp{TimeUnit::integer, *v, 0, 0};
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto y = whole(std::string_view(s).substr(0, 4));
  auto m = whole(std::string_view(s).substr(5, 2));
  auto d = whole(std::string_view(s).substr(8, 2));
  if (!y || !m || !d || *m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m)) return std::nullopt;
  return Stamp{TimeUnit::day, days_from_civil(*y, *m, *d), *y * 12 + *m - 1, *d};
}

std::string unit_name(TimeUnit u, std::int64_t n) {
  const char* name = u == TimeUnit::integer ? "step" : u == TimeUnit::day ? "day" : "month";
  return std::to_string(n) + " " + name + (n == 1 ? "" : "s");
}

}  // namespace

TimeAxis TimeAxis::infer(const std::vector<std::string>& stamps, const std::vector<std::uint64_t>& lines,
                         const std::string& file, const std::string& column) {
  auto where = [&](std::size_t i) { return file + ":" + std::to_string(lines.at(i)) + ":" + column + ": "; };
  if (stamps.size() < 2) throw IoError(file + ": a series needs at least 2 rows, got " + std::to_string(stamps.size()));
  std::vector<Stamp> parsed;
  for (std::size_t i = 0; i < stamps.size(); ++i) {
    auto p = parse(stamps[i]);
    if (!p) throw IoError(where(i) + "'" + stamps[i] + "' is not a time (expected an integer or YYYY-MM-DD)");
    if (i > 0 && p->kind != parsed[0].kind) {
      throw IoError(where(i) + "'" + stamps[i] + "' is not of the same kind as '" + stamps[0] + "'");
    }
    parsed.push_back(*p);
  }
  TimeAxis axis;
  axis.rows_ = static_cast<std::int64_t>(stamps.size());
  bool monthly = parsed[0].kind == TimeUnit::day;
  for (const Stamp& s : parsed) monthly = monthly && s.day == parsed[0].day;
  axis.unit_ = monthly ? TimeUnit::month : parsed[0].kind;
  auto units = [&](const Stamp& s) { return axis.unit_ == TimeUnit::month ? s.months : s.value; };
  axis.step_ = units(parsed[1]) - units(parsed[0]);
  for (std::size_t i = 1; i < parsed.size(); ++i) {
    const std::int64_t diff = units(parsed[i]) - units(parsed[i - 1]);
    if (diff == 0) throw IoError(where(i) + "'" + stamps[i] + "' repeats the time of line " + std::to_string(lines[i - 1]));
    if (diff < 0) {
      throw IoError(where(i) + "'" + stamps[i] + "' comes before '" + stamps[i - 1] + "' of line " +
                    std::to_string(lines[i - 1]) + " (times must increase)");
    }
    if (diff != axis.step_) {
      throw IoError(where(i) + "'" + stamps[i] + "' is " + unit_name(axis.unit_, diff) + " after '" + stamps[i - 1] +
                    "', but the series steps by " + unit_name(axis.unit_, axis.step_) +
                    " (a missing row? rows must be evenly spaced)");
    }
  }
  axis.last_value_ = units(parsed.back());
  axis.day_of_month_ = parsed[0].day;
  axis.first_ordinal_ = units(parsed[0]) / axis.step_;
  if (units(parsed[0]) < 0 && units(parsed[0]) % axis.step_ != 0) --axis.first_ordinal_;
  return axis;
}

std::vector<std::string> TimeAxis::continue_after(std::int64_t count) const {
  std::vector<std::string> out;
  char buf[64];
  for (std::int64_t k = 1; k <= count; ++k) {
    const std::int64_t v = last_value_ + k * step_;
    if (unit_ == TimeUnit::integer) {
      out.push_back(std::to_string(v));
      continue;
    }
    std::int64_t y = 0, m = 0, d = 0;
    if (unit_ == TimeUnit::day) {
      civil_from_days(v, y, m, d);
    } else {
      y = v / 12;
      m = v % 12 + 1;
      d = day_of_month_;
    }
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld", static_cast<long long>(y), static_cast<long long>(m),
                  static_cast<long long>(d));
    out.emplace_back(buf);
  }
  return out;
}

TimeAxis TimeAxis::head(std::int64_t rows) const {
  TimeAxis a = *this;
  a.last_value_ -= (rows_ - rows) * step_;
  a.rows_ = rows;
  return a;
}

std::string TimeAxis::describe() const { return unit_name(unit_, step_); }

}  // namespace recur::data
