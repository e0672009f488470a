#include "commands/eval_forecast.h"

#include <iostream>

#include "commands/forecast_common.h"
#include "model_command.h"
#include "options.h"
#include "recur/core/error.h"

namespace recur::cli {

int run_forecast_eval(const po::variables_map& args) {
  for (const char* flag : {"ref", "hyp", "baseline", "source", "lead-words"}) {
    if (args.count(flag)) throw FlagError(std::string("--") + flag, "is not read with --metric forecast");
  }
  if (!args.count("model")) throw FlagError("--model", "--metric forecast needs a forecasting model folder (-m DIR)");
  if (!args.count("input")) throw FlagError("--input", "--metric forecast needs the series (-i SERIES.csv)");
  const std::int64_t windows = backtest_flag(args);
  if (windows == 0) throw FlagError("--backtest", "--metric forecast needs the number of windows to score (--backtest N)");
  ForecastInputs in(args, "--metric forecast");
  const Backtest b = run_backtest(in.forecaster, in.series, windows, in.horizon);
  print_backtest_scores(std::cout, b, in.forecaster.target(), in.series, args["score-only"].as<bool>());
  return 0;
}

}  // namespace recur::cli
