// What `recur forecast` and `recur eval --metric forecast` share: the forecasting flags,
// the model folder's Forecaster, the series read as the model reads it, and the table of
// backtest scores (the model beside the naive and seasonal-naive baselines).
#pragma once

#include <cstdint>
#include <ostream>

#include "command.h"
#include "recur/data/series.h"
#include "recur/pipeline/backtest.h"
#include "recur/pipeline/forecaster.h"
#include "recur/pipeline/pipeline.h"
#include "recur/plugin/host.h"

namespace recur::cli {

// --horizon H, --backtest N (and -i, -m through the model options).
void add_forecast_options(po::options_description& options);

// The pipeline's task as a Forecaster; an Error naming the model folder if it is none.
Forecaster& require_forecaster(Pipeline& pipeline, const po::variables_map& args, const std::string& what);

// --horizon checked against the model (FlagError naming it).
std::int64_t horizon_flag(const po::variables_map& args, const Forecaster& forecaster);
// --backtest N >= 1 (FlagError naming it); 0 when absent.
std::int64_t backtest_flag(const po::variables_map& args);

// -i read with the model's columns (IoError naming file:line:column).
data::Series read_input_series(const po::variables_map& args, const Forecaster& forecaster);

// What both commands load, in this order, each checked (the first problem is the
// error): the plugins, the model folder (-m), its Forecaster, --horizon and the series
// (-i). The model is in eval mode.
struct ForecastInputs {
  ForecastInputs(const po::variables_map& args, const std::string& what);

  PluginHost host;  // first: the pipeline's plugin code lives in it
  Pipeline pipeline;
  Forecaster& forecaster;
  std::int64_t horizon;
  data::Series series;
};

// The scores of the model and the baselines, one row each.
void print_backtest_scores(std::ostream& out, const Backtest& backtest, const std::string& target,
                           const data::Series& series, bool score_only);

}  // namespace recur::cli
