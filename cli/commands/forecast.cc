// `recur forecast -m MODEL_DIR -i SERIES.csv --horizon H [-o OUT.csv]`: forecasts H steps
// past the end of the series with a forecasting model folder and writes CSV: the time
// stamps that continue the series' own (time_axis.h), the point forecast in a column
// named after the target, and one column `TARGET_qLEVEL` per quantile of a model trained
// with the quantile loss (prediction intervals).
//
// `--backtest N`: rolling-origin evaluation over the last N windows instead; the scores
// of the model, the naive and the seasonal-naive forecasts go to stdout (stderr when the
// windows go to stdout), and with -o every window's forecasts as CSV (origin, time, step,
// actual, forecast, naive, seasonal_naive, quantiles); the last line of stderr says how
// long the backtest (windows, model, baselines, scores) took.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "command.h"
#include "commands/forecast_common.h"
#include "model_command.h"
#include "options.h"
#include "recur/core/atomic_file.h"
#include "recur/core/error.h"
#include "recur/ops/threads.h"
#include "recur/pipeline/workers.h"

namespace recur::cli {

namespace {

void declare(CommandOptions& options) {
  declare_model_options(options.named);
  auto add = options.named.add_options();
  add("input,i", po::value<std::string>()->value_name("FILE"),
      "the series (CSV: the model's time column and value columns)");
  add("output,o", po::value<std::string>()->default_value("-")->value_name("FILE"), "output CSV (- = stdout)");
  add_forecast_options(options.named);
}

// Appends `v` as printf's "%.10g" writes it (std::to_chars' general format is defined
// so), several times faster: a backtest writes millions of numbers.
void append_number(std::string& out, double v) {
  char buf[64];
  const auto end = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 10).ptr;
  out.append(buf, end);
}

std::string level_name(const std::string& target, float level) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "_q%g", static_cast<double>(level));
  return target + buf;
}

// The header: the given columns, then one per quantile level.
void append_header(std::string& out, std::vector<std::string> columns, const std::vector<double>& levels,
                   const std::string& target) {
  for (double l : levels) columns.push_back(level_name(target, static_cast<float>(l)));
  data::append_csv_row(out, columns);
}

void write_forecast(std::string& out, const Forecast& f, const std::vector<std::string>& times,
                    const std::string& target) {
  append_header(out, {"time", target}, f.levels, target);
  for (std::size_t k = 0; k < f.point.size(); ++k) {
    data::append_csv_field(out, times[k]);
    out += ',';
    append_number(out, f.point[k]);
    for (const auto& q : f.quantiles) {
      out += ',';
      append_number(out, q[k]);
    }
    out += '\n';
  }
}

// The lines of windows [begin, end): one per window and step.
void append_windows(std::string& out, const Backtest& b, std::size_t begin, std::size_t end,
                    const data::Series& series) {
  const std::size_t steps = b.windows.front().actual.size();
  out.reserve(out.size() + (end - begin) * steps * (64 + 12 * b.windows.front().model.quantiles.size()));
  for (std::size_t i = begin; i < end; ++i) {
    const BacktestWindow& w = b.windows[i];
    for (std::size_t k = 0; k < w.actual.size(); ++k) {
      data::append_csv_field(out, series.times[w.origin]);
      out += ',';
      data::append_csv_field(out, series.times[w.origin + k]);
      out += ',';
      append_number(out, static_cast<double>(k + 1));
      for (double v : {w.actual[k], w.model.point[k], w.naive[k], w.seasonal_naive[k]}) {
        out += ',';
        append_number(out, v);
      }
      for (const auto& q : w.model.quantiles) {
        out += ',';
        append_number(out, q[k]);
      }
      out += '\n';
    }
  }
}

// The header and every window's lines, in pieces to be written in order. A backtest of
// 24,000 windows x 12 steps is some 20 MB of text and 1.4 million numbers, and formatting
// them took longer than forecasting: one piece per compute thread, formatted at once.
void write_windows(std::vector<std::string>& out, const Backtest& b, const data::Series& series,
                   const std::string& target) {
  out.emplace_back();
  append_header(out.back(), {"origin", "time", "step", "actual", target, "naive", "seasonal_naive"},
                b.windows.front().model.levels, target);
  const std::size_t n = b.windows.size();
  const auto parts = std::min<std::size_t>(n, static_cast<std::size_t>(std::max<std::int64_t>(1, ops::num_threads())));
  const std::size_t first = out.size();
  out.resize(first + parts);
  run_on_workers(parts, static_cast<std::int64_t>(parts), [&](std::size_t p) {
    append_windows(out[first + p], b, n * p / parts, n * (p + 1) / parts, series);
  });
}

// Writes the pieces of `text` in order to -o: atomically to a file, or to stdout.
void emit(const std::string& out_name, const std::vector<std::string>& text) {
  if (out_name == "-") {
    for (const std::string& piece : text) std::cout << piece;
    return;
  }
  AtomicFile file{std::filesystem::path(out_name)};
  for (const std::string& piece : text) file.write(piece.data(), piece.size());
  file.commit();
}

int run(const po::variables_map& args) {
  if (!args.count("input")) throw FlagError("--input", "the series to forecast from is required (-i SERIES.csv)");
  const std::string out_name = args["output"].as<std::string>();
  const std::int64_t windows = backtest_flag(args);
  ForecastInputs in(args, "recur forecast");
  Forecaster& forecaster = in.forecaster;
  const std::int64_t horizon = in.horizon;
  const data::Series& series = in.series;
  std::vector<std::string> text;
  if (windows > 0) {
    const Backtest b = run_backtest(forecaster, series, windows, horizon);
    const double seconds = b.forecast_seconds;
    print_backtest_scores(out_name == "-" ? std::cerr : std::cout, b, forecaster.target(), series, false);
    write_windows(text, b, series, forecaster.target());
    std::fprintf(stderr, "recur: %lld windows x %lld steps forecast in %.3f s, %.0f windows/s\n",
                 static_cast<long long>(windows), static_cast<long long>(horizon), seconds,
                 seconds > 0 ? static_cast<double>(windows) / seconds : 0.0);
  } else {
    const Forecast f = forecaster.forecast(series, {series.length()}, horizon).at(0);
    write_forecast(text.emplace_back(), f, series.axis.continue_after(horizon), forecaster.target());
  }
  emit(out_name, text);
  return 0;
}

}  // namespace

Command forecast_command() {
  return {"forecast",
          "forecast a time series past its end with a forecasting model folder (CSV: time, forecast, "
          "quantiles), or --backtest it against the naive and seasonal-naive forecasts",
          "-m MODEL_DIR -i SERIES.csv --horizon H [-o OUT.csv] [--backtest N]", &declare, &run};
}

}  // namespace recur::cli
