#include "forecast_training.h"

#include <algorithm>
#include <random>

#include "forecast_loss.h"
#include "forecast_windows.h"
#include "recur/core/error.h"
#include "recur/core/logging.h"
#include "recur/ops/tape.h"
#include "recur/pipeline/backtest.h"

namespace recur::tasks {

ForecastData parse_forecast_data(const TrainSettings& settings) {
  const config::Section& d = *settings.data;
  ForecastData c;
  c.series = d.path_value("series");
  c.valid_windows = d.non_negative<std::int64_t>("valid_windows", c.valid_windows);
  c.holdout = d.non_negative<std::int64_t>("holdout", c.holdout);
  c.stride = d.positive<std::int64_t>("stride", c.stride);
  d.finish();
  const std::string& metric = settings.trainer.metric;
  static const char* const kMetrics[] = {"loss", "mae", "rmse", "smape", "mase"};
  if (std::find(std::begin(kMetrics), std::end(kMetrics), metric) == std::end(kMetrics)) {
    throw ConfigError("train.metric: a forecaster validates loss, mae, rmse, smape or mase, not " + metric);
  }
  if (c.valid_windows == 0 && metric != "loss") d.fail("valid_windows", "train.metric " + metric + " needs validation windows");
  c.batch_windows = settings.batch.max_rows;
  c.seed = settings.seed;
  return c;
}

ForecastSplit split_series(const ForecastData& data, const ForecasterSettings& s, std::int64_t length,
                           const std::string& name) {
  ForecastSplit split;
  split.usable_end = length - data.holdout;
  split.train_end = data.valid_windows > 0 ? split.usable_end - s.horizon - data.valid_windows + 1 : split.usable_end;
  for (std::int64_t o = s.context; o + s.horizon <= split.train_end; o += data.stride) split.train_origins.push_back(o);
  if (split.train_origins.empty()) {
    throw Error(name + ": " + std::to_string(length) + " rows leave no training window: " +
                std::to_string(data.holdout) + " held out, " + std::to_string(data.valid_windows) +
                " validation windows, and a window needs " + std::to_string(s.context + s.horizon) +
                " rows (context + horizon)");
  }
  return split;
}

ForecastTraining::ForecastTraining(Pipeline& pipeline, ForecastModel& model, Forecaster& forecaster,
                                   const SeriesSettings& series, ForecastData data)
    : pipeline_(pipeline), model_(model), forecaster_(forecaster), series_settings_(series), data_(std::move(data)) {
  series_ = data::read_series_csv(data_.series, series_settings_.read_options());
  const ForecasterSettings& s = model_.settings();
  split_ = split_series(data_, s, series_.length(), series_.file);
  model_.set_scalers(fit_scalers(series_settings_, series_, split_.train_end));
  windows_ = std::make_unique<ForecastWindows>(series_settings_, s.context, series_,
                                               model_.scalers(series_settings_.scalers));
  log().info("{}: {} rows every {}{}: {} training windows (rows < {}), {} validation windows, {} rows held out",
             series_.file, series_.length(), series_.axis.describe(),
             series_.filled ? " (" + std::to_string(series_.filled) + " cells interpolated)" : std::string(),
             split_.train_origins.size(), split_.train_end, data_.valid_windows, data_.holdout);
}

void ForecastTraining::start_epoch(std::int64_t epoch) {
  std::vector<std::int64_t> order = split_.train_origins;
  std::mt19937_64 rng(data_.seed * 1000003ull + static_cast<std::uint64_t>(epoch));
  std::shuffle(order.begin(), order.end(), rng);
  batches_.clear();
  for (std::size_t i = 0; i < order.size(); i += static_cast<std::size_t>(data_.batch_windows)) {
    const std::size_t end = std::min(order.size(), i + static_cast<std::size_t>(data_.batch_windows));
    batches_.emplace_back(order.begin() + static_cast<std::ptrdiff_t>(i), order.begin() + static_cast<std::ptrdiff_t>(end));
  }
}

train::StepLoss ForecastTraining::forward(std::int64_t index, std::mt19937_64&) {
  const auto& origins = batches_.at(static_cast<std::size_t>(index));
  const ForecasterSettings& s = model_.settings();
  WindowBatch b = windows_->batch(origins, s.horizon);
  Tensor loss = forecast_loss(s.loss, model_.forward(b.inputs, b.decoder_inputs), b.targets, s.quantiles);
  const auto n = static_cast<std::int64_t>(origins.size());
  return {loss, static_cast<double>(loss.item()) * static_cast<double>(n), n};
}

std::map<std::string, double> ForecastTraining::validate() {
  std::map<std::string, double> m;
  if (data_.valid_windows == 0) return m;
  autograd::NoGradGuard no_grad;
  pipeline_.model().eval();
  const ForecasterSettings& s = model_.settings();
  const data::Series seen = series_.head(split_.usable_end);
  std::vector<std::int64_t> origins;
  for (std::int64_t o = split_.train_end; o + s.horizon <= split_.usable_end; ++o) origins.push_back(o);
  WindowBatch b = windows_->batch(origins, s.horizon);
  m["loss"] = forecast_loss(s.loss, model_.forward(b.inputs, b.decoder_inputs), b.targets, s.quantiles).item();
  const Backtest bt = run_backtest(forecaster_, seen, data_.valid_windows, s.horizon);
  m["mae"] = bt.model.mae;
  m["rmse"] = bt.model.rmse;
  m["smape"] = bt.model.smape;
  m["mase"] = bt.model.mase;
  m["naive_mase"] = bt.naive.mase;
  m["snaive_mase"] = bt.seasonal_naive.mase;
  pipeline_.model().train();
  return m;
}

}  // namespace recur::tasks
