// `recur eval --metric forecast -m MODEL_DIR -i SERIES.csv --horizon H --backtest N`:
// rolling-origin evaluation of a forecasting model over the last N windows of the series:
// MAE, RMSE, sMAPE and MASE of the model, and of the naive and seasonal-naive forecasts
// on the same windows (recur/pipeline/backtest.h).
#pragma once

#include "command.h"

namespace recur::cli {

int run_forecast_eval(const po::variables_map& args);

}  // namespace recur::cli
