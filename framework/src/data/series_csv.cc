#include "recur/data/series.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>

#include "recur/core/error.h"

namespace recur::data {

namespace {

std::vector<std::string> split_fields(std::string line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    std::string f = line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto first = f.find_first_not_of(" \t");
    f = first == std::string::npos ? "" : f.substr(first, f.find_last_not_of(" \t") - first + 1);
    if (f.size() >= 2 && f.front() == '"' && f.back() == '"') f = f.substr(1, f.size() - 2);
    fields.push_back(std::move(f));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return fields;
}

bool is_missing(const std::string& f) {
  std::string lower = f;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower.empty() || lower == "na" || lower == "nan" || lower == "null";
}

void interpolate(std::vector<double>& v) {
  const std::int64_t n = static_cast<std::int64_t>(v.size());
  std::int64_t prev = -1;
  for (std::int64_t i = 0; i <= n; ++i) {
    if (i < n && std::isnan(v[i])) continue;
    if (i - prev > 1) {  // v(prev, i) are missing
      for (std::int64_t k = prev + 1; k < i; ++k) {
        if (prev < 0) {
          v[k] = v[i];
        } else if (i == n) {
          v[k] = v[prev];
        } else {
          const double t = static_cast<double>(k - prev) / static_cast<double>(i - prev);
          v[k] = v[prev] + t * (v[i] - v[prev]);
        }
      }
    }
    prev = i;
  }
}

}  // namespace

const std::vector<double>& Series::column(const std::string& name) const {
  auto it = std::find(columns.begin(), columns.end(), name);
  if (it == columns.end()) {
    std::string known;
    for (const auto& c : columns) known += (known.empty() ? "" : ", ") + c;
    throw IoError(file + ": no column '" + name + "' (read: " + known + ")");
  }
  return values[static_cast<std::size_t>(it - columns.begin())];
}

Series Series::head(std::int64_t rows) const {
  Series s = *this;
  const auto n = static_cast<std::size_t>(std::clamp<std::int64_t>(rows, 0, length()));
  s.times.resize(n);
  s.lines.resize(n);
  for (auto& v : s.values) v.resize(n);
  s.axis = axis.head(static_cast<std::int64_t>(n));
  return s;
}

Series read_series_csv(std::istream& in, const std::string& name, const SeriesReadOptions& options) {
  Series s;
  s.file = name;
  s.time_column = options.time_column;
  std::string line;
  if (!std::getline(in, line)) throw IoError(name + ": empty file (expected a header line)");
  const std::vector<std::string> header = split_fields(line);
  auto index_of = [&](const std::string& column) -> std::size_t {
    auto it = std::find(header.begin(), header.end(), column);
    if (it == header.end()) {
      std::string known;
      for (const auto& h : header) known += (known.empty() ? "" : ", ") + h;
      throw IoError(name + ":1: no column '" + column + "' in the header (" + known + ")");
    }
    return static_cast<std::size_t>(it - header.begin());
  };
  const std::size_t time_index = index_of(options.time_column);
  std::vector<std::size_t> value_index;
  s.columns = options.columns;
  if (s.columns.empty()) {
    for (const auto& h : header) {
      if (h != options.time_column) s.columns.push_back(h);
    }
  }
  if (s.columns.empty()) throw IoError(name + ":1: no value column besides '" + options.time_column + "'");
  for (const auto& c : s.columns) value_index.push_back(index_of(c));
  s.values.assign(s.columns.size(), {});

  std::uint64_t number = 1;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line == "\r") continue;  // a trailing blank line
    const std::vector<std::string> fields = split_fields(line);
    const std::string where = name + ":" + std::to_string(number) + ":";
    if (fields.size() != header.size()) {
      throw IoError(where + " " + std::to_string(fields.size()) + " fields, the header has " +
                    std::to_string(header.size()));
    }
    s.times.push_back(fields[time_index]);
    s.lines.push_back(number);
    for (std::size_t c = 0; c < value_index.size(); ++c) {
      const std::string& f = fields[value_index[c]];
      double v = std::nan("");
      if (is_missing(f)) {
        if (options.missing == MissingValues::error) {
          throw IoError(where + s.columns[c] + ": missing value (the series' `missing: interpolate` fills it)");
        }
        ++s.filled;
      } else {
        const char* begin = f.data() + (f[0] == '+' ? 1 : 0);
        auto [end, ec] = std::from_chars(begin, f.data() + f.size(), v);
        if (ec != std::errc() || end != f.data() + f.size() || !std::isfinite(v)) {
          throw IoError(where + s.columns[c] + ": '" + f + "' is not a finite number");
        }
      }
      s.values[c].push_back(v);
    }
  }
  s.axis = TimeAxis::infer(s.times, s.lines, name, options.time_column);
  for (std::size_t c = 0; c < s.values.size(); ++c) {
    const auto& v = s.values[c];
    if (std::all_of(v.begin(), v.end(), [](double x) { return std::isnan(x); })) {
      throw IoError(name + ": column '" + s.columns[c] + "' has no value at all");
    }
    if (s.filled) interpolate(s.values[c]);
  }
  return s;
}

Series read_series_csv(const std::filesystem::path& path, const SeriesReadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path.string() + ": cannot open for reading");
  return read_series_csv(in, path.string(), options);
}

void append_csv_field(std::string& out, std::string_view field) {
  if (field.find_first_of(",\"\n") == std::string_view::npos) {
    out += field;
    return;
  }
  out += '"';
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void append_csv_row(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    append_csv_field(out, fields[i]);
  }
  out += '\n';
}

}  // namespace recur::data
