#include "forecast_task.h"

#include <algorithm>

#include "forecast_training.h"
#include "forecast_windows.h"
#include "recur/core/error.h"
#include "recur/ops/shape.h"
#include "recur/ops/threads.h"
#include "recur/pipeline/pipeline.h"
#include "recur/pipeline/workers.h"

namespace recur::tasks {

namespace {

// Windows forecast per model call, at most.
constexpr std::size_t kChunk = 256;

// An autoregressive head forecasts any horizon; this bounds the memory of one call.
constexpr std::int64_t kLongestAutoregressive = 100000;

}  // namespace

TaskNeeds ForecastingTask::needs() const {
  TaskNeeds n;
  n.source = TaskNeeds::Source::none;
  n.encoder = false;
  n.target_tokenizer = false;
  n.decoder = false;
  return n;
}

void ForecastingTask::configure(const config::Section& root, Pipeline& pipeline) {
  if (!root.has("series")) root.fail("series", "a forecasting pipeline needs `series: {target: COLUMN, ...}`");
  series_ = parse_series_settings(root.section("series"));
  const ForecasterSettings settings = parse_forecaster_settings(root.optional_section("forecaster"));
  auto model = std::make_unique<ForecastModel>(settings, ForecastWindows::input_size(series_),
                                               ForecastWindows::decoder_input_size(series_),
                                               static_cast<std::int64_t>(series_.columns().size()));
  model_ = model.get();
  pipeline.model().set_head(std::move(model));
}

std::unique_ptr<BatchJob> ForecastingTask::make_job(Pipeline& pipeline, const JobRequest&) {
  throw Error(pipeline.file().string() +
              ": the forecasting task reads a whole series, not lines: run `recur forecast -m MODEL -i SERIES.csv`");
}

std::unique_ptr<train::TrainTask> ForecastingTask::make_train_task(Pipeline& pipeline, const TrainSettings& settings) {
  return std::make_unique<ForecastTraining>(pipeline, *model_, *this, series_, parse_forecast_data(settings));
}

std::int64_t ForecastingTask::max_horizon() const {
  return model_->settings().head == ForecastHead::direct ? model_->settings().horizon : kLongestAutoregressive;
}

std::vector<Forecast> ForecastingTask::forecast(const data::Series& series, const std::vector<std::int64_t>& origins,
                                                std::int64_t horizon) {
  const ForecasterSettings& s = model_->settings();
  if (horizon < 1 || horizon > max_horizon()) {
    throw Error("forecast: the horizon must lie in [1, " + std::to_string(max_horizon()) + "], got " +
                std::to_string(horizon) + (s.head == ForecastHead::direct ? " (a direct head forecasts the horizon it was trained for at most)" : ""));
  }
  const ForecastWindows windows(series_, s.context, series, model_->scalers(series_.scalers));
  const std::int64_t steps = s.head == ForecastHead::direct ? s.horizon : horizon;
  const std::vector<float> levels = s.loss == ForecastLoss::quantile ? s.quantiles : std::vector<float>{};
  // Chunks of one size: the kernels are compiled once (a recurrent primitive takes
  // milliseconds to compile, as long as forecasting a few thousand windows).
  const std::vector<OriginChunk> chunks = equal_chunks(origins, kChunk);
  std::vector<std::vector<Forecast>> done(chunks.size());
  run_on_workers(chunks.size(), ops::num_threads(), [&](std::size_t c) {
    WindowBatch b = windows.batch(chunks[c].origins, steps);
    Tensor y = model_->generate(b.inputs, b.decoder_inputs);
    if (steps != horizon) y = ops::narrow(y, 1, 0, horizon);
    done[c] = windows.unscale(y, b, s.point_index(), levels);
    done[c].resize(chunks[c].real);
  });
  std::vector<Forecast> out;
  out.reserve(origins.size());
  for (auto& part : done) {
    for (Forecast& f : part) out.push_back(std::move(f));
  }
  return out;
}

std::unique_ptr<Task> forecasting_task_factory(const config::Section&, const BuildContext&) {
  return std::make_unique<ForecastingTask>();
}

}  // namespace recur::tasks
