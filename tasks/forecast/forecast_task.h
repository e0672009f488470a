// The `forecasting` task: windows of a series' past (plus calendar features) -> an RNN
// encoder -> a multi-step head (forecast_model.h), trained on one series
// (forecast_training.h). It needs no tokenizer, encoder or decoder component: the
// network is the task's own module, handed to Model::set_head (tensors `head.*`). Besides
// the Task interface it is a Forecaster (recur/pipeline/forecaster.h): `recur forecast`
// and `recur eval --metric forecast` use that.
//
//   task: forecasting
//   series: {...}          # forecast_settings.h
//   forecaster: {...}      # forecast_settings.h
//   train: {data: {...}}   # forecast_training.h
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "forecast_model.h"
#include "forecast_settings.h"
#include "recur/pipeline/forecaster.h"
#include "recur/pipeline/task.h"

namespace recur::tasks {

class ForecastingTask final : public Task, public Forecaster {
 public:
  TaskNeeds needs() const override;
  void configure(const config::Section& root, Pipeline& pipeline) override;
  std::unique_ptr<BatchJob> make_job(Pipeline& pipeline, const JobRequest& request) override;
  std::unique_ptr<train::TrainTask> make_train_task(Pipeline& pipeline, const TrainSettings& settings) override;

  data::SeriesReadOptions read_options() const override { return series_.read_options(); }
  const std::string& target() const override { return series_.target; }
  std::int64_t season() const override { return series_.season; }
  std::int64_t context() const override { return model_->settings().context; }
  std::int64_t max_horizon() const override;
  std::vector<Forecast> forecast(const data::Series& series, const std::vector<std::int64_t>& origins,
                                 std::int64_t horizon) override;

  ForecastModel& model() { return *model_; }

 private:
  SeriesSettings series_;
  ForecastModel* model_ = nullptr;  // owned by the pipeline's Model
};

std::unique_ptr<Task> forecasting_task_factory(const config::Section& root, const BuildContext& context);

}  // namespace recur::tasks
