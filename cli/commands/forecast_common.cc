#include "commands/forecast_common.h"

#include <cstdio>

#include "model_command.h"
#include "options.h"
#include "recur/core/error.h"

namespace recur::cli {

void add_forecast_options(po::options_description& options) {
  auto add = options.add_options();
  add("horizon", po::value<std::int64_t>()->value_name("H"),
      "steps to forecast (at most the horizon a direct model was trained for)");
  add("backtest", po::value<std::int64_t>()->value_name("N"),
      "rolling-origin evaluation: forecast H steps from each of the last N origins (one step apart, "
      "the last window ending at the last row) and score the model, naive and seasonal-naive forecasts");
}

ForecastInputs::ForecastInputs(const po::variables_map& args, const std::string& what)
    : host(load_plugins(args)),
      pipeline(load_model_folder(args, host)),
      forecaster(require_forecaster(pipeline, args, what)),
      horizon(horizon_flag(args, forecaster)),
      series(read_input_series(args, forecaster)) {
  pipeline.model().eval();
}

Forecaster& require_forecaster(Pipeline& pipeline, const po::variables_map& args, const std::string& what) {
  auto* f = dynamic_cast<Forecaster*>(&pipeline.task());
  if (!f) {
    throw Error(args["model"].as<std::string>() + ": " + what + " needs a forecasting model (task forecasting), " +
                "this model's task is " + pipeline.task_name());
  }
  return *f;
}

std::int64_t horizon_flag(const po::variables_map& args, const Forecaster& f) {
  if (!args.count("horizon")) throw FlagError("--horizon", "the number of steps to forecast is required");
  const std::int64_t h = args["horizon"].as<std::int64_t>();
  if (h < 1 || h > f.max_horizon()) {
    throw FlagError("--horizon", "expected an integer in [1, " + std::to_string(f.max_horizon()) +
                                     "] (this model's longest horizon), got " + std::to_string(h));
  }
  return h;
}

std::int64_t backtest_flag(const po::variables_map& args) {
  if (!args.count("backtest")) return 0;
  const std::int64_t n = args["backtest"].as<std::int64_t>();
  if (n < 1 || n > 1000000) throw FlagError("--backtest", "expected a number of windows in [1, 1000000], got " + std::to_string(n));
  return n;
}

data::Series read_input_series(const po::variables_map& args, const Forecaster& f) {
  if (!args.count("input")) throw FlagError("--input", "the series to read is required (-i SERIES.csv)");
  const std::string path = args["input"].as<std::string>();
  data::Series s = data::read_series_csv(std::filesystem::path(path), f.read_options());
  if (s.length() < f.context()) {
    throw IoError(path + ": " + std::to_string(s.length()) + " rows, the model reads the last " +
                  std::to_string(f.context()));
  }
  return s;
}

void print_backtest_scores(std::ostream& out, const Backtest& b, const std::string& target,
                           const data::Series& series, bool score_only) {
  char line[256];
  const std::pair<const char*, const metrics::ForecastScores*> rows[] = {
      {"model", &b.model}, {"naive", &b.naive}, {"seasonal-naive", &b.seasonal_naive}};
  if (score_only) {
    for (const auto& [name, s] : rows) {
      std::snprintf(line, sizeof line, "%.6g %.6g %.4f %.4f\n", s->mae, s->rmse, s->smape, s->mase);
      out << line;
    }
    return;
  }
  out << series.file << ": " << target << ", " << b.windows.size() << " rolling-origin windows of " << b.horizon
      << " steps (" << series.axis.describe() << " each), origins " << series.times[b.windows.front().origin]
      << " .. " << series.times[b.windows.back().origin] << "; MASE scale " << b.scale << " (seasonal naive, m = "
      << b.season << ", on the " << b.windows.front().origin << " rows before the first origin)\n";
  std::snprintf(line, sizeof line, "%-16s %12s %12s %9s %8s\n", "", "MAE", "RMSE", "sMAPE %", "MASE");
  out << line;
  for (const auto& [name, s] : rows) {
    std::snprintf(line, sizeof line, "%-16s %12.6g %12.6g %9.3f %8.4f\n", name, s->mae, s->rmse, s->smape, s->mase);
    out << line;
  }
  if (b.coverage >= 0) {
    const Forecast& f = b.windows.front().model;
    std::snprintf(line, sizeof line, "interval [q%g, q%g] covers %.1f%% of the actual values\n",
                  static_cast<double>(f.levels.front()), static_cast<double>(f.levels.back()), b.coverage);
    out << line;
  }
}

}  // namespace recur::cli
