#include "recur/viz/forecast_plot.h"

#include <algorithm>
#include <charconv>
#include <fstream>

#include "recur/core/error.h"
#include "recur/data/series.h"
#include "recur/viz/line_chart.h"
#include "recur/viz/text.h"

namespace recur::viz {
namespace {

constexpr double kMargin = 16, kWidth = 900, kHeight = 440;

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::uint64_t> lines;
};

Table read_table(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path.string() + ": cannot open for reading");
  auto split = [](std::string line) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (std::size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1) {
      fields.push_back(line.substr(start, comma - start));
    }
    fields.push_back(line.substr(start));
    return fields;
  };
  Table t;
  std::string line;
  if (!std::getline(in, line)) throw IoError(path.string() + ": empty file");
  t.header = split(line);
  for (std::uint64_t n = 2; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    t.rows.push_back(split(line));
    t.lines.push_back(n);
    if (t.rows.back().size() != t.header.size()) {
      throw IoError(path.string() + ":" + std::to_string(n) + ": " + std::to_string(t.rows.back().size()) +
                    " fields, the header has " + std::to_string(t.header.size()));
    }
  }
  return t;
}

double number(const Table& t, std::size_t row, std::size_t column, const std::string& file) {
  const std::string& f = t.rows[row][column];
  double v = 0;
  auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
  if (ec != std::errc() || end != f.data() + f.size()) {
    throw IoError(file + ":" + std::to_string(t.lines[row]) + ":" + t.header[column] + ": '" + f +
                  "' is not a number");
  }
  return v;
}

Series line(const std::string& name, int colour, bool dashed, bool markers) {
  Series s;
  s.name = name;
  s.colour = palette(colour);
  s.dashed = dashed;
  s.markers = markers;
  return s;
}

// Quantile columns: every header field from `first` on.
void add_intervals(const Table& t, std::size_t first, const std::vector<std::size_t>& rows, const std::vector<double>& x,
                   const std::string& file, LineChartSpec& chart) {
  if (t.header.size() < first + 2) return;
  for (std::size_t c : {first, t.header.size() - 1}) {
    Series s = line(t.header[c], 0, true, false);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      s.x.push_back(x[i]);
      s.y.push_back(number(t, rows[i], c, file));
    }
    chart.series.push_back(std::move(s));
  }
}

LineChartSpec backtest_chart(const Table& t, std::int64_t step, const std::string& file) {
  const std::string target = t.header.at(4);
  LineChartSpec chart{target + ": forecasts " + std::to_string(step) + " step" + (step == 1 ? "" : "s") +
                          " ahead in the backtest windows, against the actual values",
                      "time", false, {}};
  std::vector<std::size_t> rows;
  std::vector<double> x;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    if (t.rows[r][2] != std::to_string(step)) continue;
    rows.push_back(r);
    x.push_back(time_value(t.rows[r][1], file + ":" + std::to_string(t.lines[r]) + ":time"));
  }
  if (rows.empty()) throw Error(file + ": no backtest window has a step " + std::to_string(step));
  Series actual = line("actual", 7, false, false), model = line("recur", 0, false, true);
  Series naive = line("naive", 2, true, false), seasonal = line("seasonal naive", 1, true, false);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (auto [s, c] : {std::pair{&actual, 3}, {&model, 4}, {&naive, 5}, {&seasonal, 6}}) {
      s->x.push_back(x[i]);
      s->y.push_back(number(t, rows[i], static_cast<std::size_t>(c), file));
    }
  }
  // At a step that is a multiple of the season both baselines repeat the same value
  // (e.g. 12 months ahead, monthly data): one line, named for both.
  if (naive.y == seasonal.y) {
    naive.name = "naive = seasonal naive";
    chart.series = {actual, model, naive};
  } else {
    chart.series = {actual, model, naive, seasonal};
  }
  add_intervals(t, 7, rows, x, file, chart);
  return chart;
}

LineChartSpec future_chart(const Table& t, const std::filesystem::path& series_path, std::int64_t history,
                           const std::string& file) {
  const std::string target = t.header.at(1);
  data::SeriesReadOptions o;
  o.time_column = t.header.at(0);
  o.columns = {target};
  o.missing = data::MissingValues::interpolate;
  const data::Series s = data::read_series_csv(series_path, o);
  LineChartSpec chart{target + ": forecast of " + std::to_string(t.rows.size()) + " steps after " + s.times.back(),
                      "time", false, {}};
  Series past = line(target, 7, false, false);
  if (history <= 0) history = std::max<std::int64_t>(24, 4 * static_cast<std::int64_t>(t.rows.size()));
  const std::int64_t first = std::max<std::int64_t>(0, s.length() - history);
  for (std::int64_t r = first; r < s.length(); ++r) {
    past.x.push_back(time_value(s.times[r], s.file + ":" + std::to_string(s.lines[r]) + ":" + o.time_column));
    past.y.push_back(s.values[0][r]);
  }
  Series forecast = line("recur forecast", 0, false, true);
  std::vector<std::size_t> rows;
  std::vector<double> x;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    rows.push_back(r);
    x.push_back(time_value(t.rows[r][0], file + ":" + std::to_string(t.lines[r]) + ":" + t.header[0]));
    forecast.x.push_back(x.back());
    forecast.y.push_back(number(t, r, 1, file));
  }
  if (!past.x.empty()) {  // join the forecast to the last value seen
    forecast.x.insert(forecast.x.begin(), past.x.back());
    forecast.y.insert(forecast.y.begin(), past.y.back());
  }
  chart.series = {past, forecast};
  add_intervals(t, 2, rows, x, file, chart);
  return chart;
}

}  // namespace

double time_value(const std::string& stamp, const std::string& where) {
  std::int64_t whole = 0;
  auto [end, ec] = std::from_chars(stamp.data(), stamp.data() + stamp.size(), whole);
  if (ec == std::errc() && end == stamp.data() + stamp.size()) return static_cast<double>(whole);
  int y = 0, m = 0, d = 0;
  if (stamp.size() == 10 && std::sscanf(stamp.c_str(), "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12 &&
      d >= 1 && d <= 31) {
    return y + (m - 1) / 12.0 + (d - 1) / 365.25;
  }
  throw IoError(where + ": '" + stamp + "' is not a time (expected an integer or YYYY-MM-DD)");
}

Figure forecast_figure(const std::filesystem::path& forecast_csv, const std::filesystem::path& series,
                       std::int64_t step, std::int64_t history) {
  const Table t = read_table(forecast_csv);
  const std::string file = forecast_csv.string();
  const bool backtest = t.header.size() >= 7 && t.header[0] == "origin" && t.header[2] == "step";
  if (!backtest && t.header.size() < 2) throw IoError(file + ":1: expected time and a forecast column");
  if (!backtest && series.empty()) {
    throw Error(file + ": a forecast past the end is drawn after its series: give the series CSV");
  }
  LineChartSpec chart = backtest ? backtest_chart(t, step, file) : future_chart(t, series, history, file);
  chart.x_from_zero = false;
  const Rect area{kMargin, kMargin, kWidth - 2 * kMargin, kHeight - 2 * kMargin};
  Figure figure;
  figure.width = kWidth;
  figure.height = kHeight;
  {
    MeasureContext measure;
    draw_line_chart(measure.get(), area, chart, &figure.hotspots);
  }
  figure.draw = [chart, area](cairo_t* cr) { draw_line_chart(cr, area, chart); };
  return figure;
}

}  // namespace recur::viz
