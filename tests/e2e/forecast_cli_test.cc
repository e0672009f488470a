// End to end: `recur train` fits a small quantile forecaster to the first 240 months of
// Mauna Loa CO2 (tests/data/series/co2.csv, 5 missing months interpolated), `recur
// forecast` continues the series past its end, `--backtest` and `recur eval --metric
// forecast` score it against the naive baselines (whose MAE is recomputed here from the
// CSV), `recur plot forecast` draws the windows, and flags and input the command cannot
// take are errors naming them.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "cli/run_recur.h"

namespace recur::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kSeries = RECUR_TEST_DATA_DIR "/series/co2.csv";

std::string pipeline_yaml(int max_steps = 150) {
  return "task: forecasting\n"
         "series: {target: co2, scaler: standard, season: 12, calendar: true, missing: interpolate}\n"
         "forecaster: {cell: lstm, hidden_size: 16, context: 24, horizon: 6, loss: quantile, "
         "quantiles: [0.1, 0.5, 0.9]}\n"
         "train:\n"
         "  data: {series: " + kSeries.string() + ", valid_windows: 12, holdout: 17}\n"
         "  max_rows: 32\n  lr: 0.005\n  warmup_steps: 0\n  decay: constant\n  label_smoothing: 0.0\n"
         "  max_steps: " + std::to_string(max_steps) + "\n  epochs: 100\n  log_every: 50\n  valid_every: 50\n  metric: mase\n  patience: 100\n"
         "  checkpoint_dir: ckpt\n  seed: 2\n";
}

std::vector<std::vector<std::string>> csv_of(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> fields;
    std::istringstream fs(line);
    for (std::string f; std::getline(fs, f, ',');) fields.push_back(f);
    rows.push_back(fields);
  }
  return rows;
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A copy of the test series with line `line` (1-based) replaced.
fs::path series_with(const fs::path& dir, const std::string& name, std::size_t line, const std::string& text) {
  std::ostringstream out;
  std::istringstream in(read(kSeries));
  std::size_t n = 0;
  for (std::string l; std::getline(in, l);) out << (++n == line ? text : l) << '\n';
  const fs::path p = dir / name;
  std::ofstream(p) << out.str();
  return p;
}

// One test: every ctest case is its own process, and each would train the model again.
TEST(ForecastCli, TrainForecastBacktestEvalAndErrors) {
  TempDir dir;
  const fs::path yaml = dir.path() / "co2.yaml", model = dir.path() / "model";
  std::ofstream(yaml) << pipeline_yaml();
  RunResult train = run_recur({"train", yaml.string(), "-o", model.string(), "--threads", "1"});
  ASSERT_EQ(train.code, 0) << train.err;
  EXPECT_NE(train.err.find("240 rows every 1 month (5 cells interpolated): 177 training windows (rows < 206), 12 validation windows, 17 rows held out"), std::string::npos)
      << train.err;
  EXPECT_NE(train.err.find(" windows/s | "), std::string::npos) << train.err;
  EXPECT_NE(train.err.find("snaive_mase"), std::string::npos) << train.err;

  {
    SCOPED_TRACE("forecast past the end: the months continue, the quantiles are ordered");
    const fs::path out = dir.path() / "future.csv";
    RunResult r = run_recur({"forecast", "-m", model.string(), "-i", kSeries.string(), "--horizon", "6", "-o",
                             out.string(), "--threads", "1"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto rows = csv_of(read(out));
    ASSERT_EQ(rows.size(), 7u);
    EXPECT_EQ(rows[0], (std::vector<std::string>{"time", "co2", "co2_q0.1", "co2_q0.5", "co2_q0.9"}));
    EXPECT_EQ(rows[1][0], "1978-03-01");
    EXPECT_EQ(rows[6][0], "1978-08-01");
    for (std::size_t k = 1; k < rows.size(); ++k) {
      ASSERT_EQ(rows[k].size(), 5u);
      const double point = std::stod(rows[k][1]), lo = std::stod(rows[k][2]), hi = std::stod(rows[k][4]);
      EXPECT_LE(lo, point);
      EXPECT_LE(point, hi);
      // The series stood at 335.39 in February 1978 and rises about 1.3 a year.
      EXPECT_GT(point, 328.0) << rows[k][0];
      EXPECT_LT(point, 342.0) << rows[k][0];
    }
    RunResult shorter = run_recur({"forecast", "-m", model.string(), "-i", kSeries.string(), "--horizon", "2"});
    ASSERT_EQ(shorter.code, 0) << shorter.err;
    EXPECT_EQ(csv_of(shorter.out).size(), 3u);
    EXPECT_EQ(csv_of(shorter.out)[1], rows[1]);  // the same first step
  }

  {
    SCOPED_TRACE("backtest: every window's forecasts; the naive baseline recomputed from the CSV");
    const fs::path out = dir.path() / "windows.csv";
    RunResult r = run_recur({"forecast", "-m", model.string(), "-i", kSeries.string(), "--horizon", "6",
                             "--backtest", "12", "-o", out.string(), "--threads", "1"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("12 rolling-origin windows of 6 steps (1 month each), origins 1976-10-01 .. 1977-09-01"),
              std::string::npos) << r.out;
    const auto rows = csv_of(read(out));
    ASSERT_EQ(rows.size(), 1u + 12 * 6);
    EXPECT_EQ(rows[0][3], "actual");
    const auto series = csv_of(read(kSeries));
    double naive_abs = 0.0;
    for (std::size_t i = 1; i < rows.size(); ++i) {
      const std::size_t step = std::stoul(rows[i][2]);
      // The origin row is line 1 + origin; the naive forecast is the row before it.
      std::size_t origin = 0;
      while (series[origin][0] != rows[i][0]) ++origin;
      EXPECT_EQ(series[origin + step - 1][0], rows[i][1]);
      EXPECT_DOUBLE_EQ(std::stod(rows[i][3]), std::stod(series[origin + step - 1][1]));
      EXPECT_DOUBLE_EQ(std::stod(rows[i][5]), std::stod(series[origin - 1][1]));
      naive_abs += std::abs(std::stod(rows[i][3]) - std::stod(series[origin - 1][1]));
    }
    RunResult e = run_recur({"eval", "--metric", "forecast", "-m", model.string(), "-i", kSeries.string(),
                             "--horizon", "6", "--backtest", "12", "--score-only", "--threads", "1"});
    ASSERT_EQ(e.code, 0) << e.err;
    const auto scores = csv_of(e.out);
    ASSERT_EQ(scores.size(), 3u);
    double mae[3], mase[3];
    for (int k = 0; k < 3; ++k) {
      std::istringstream in(scores[k][0]);
      double rmse = 0, smape = 0;
      in >> mae[k] >> rmse >> smape >> mase[k];
    }
    EXPECT_NEAR(mae[1], naive_abs / 72.0, 1e-4);
    const fs::path png = dir.path() / "backtest.png";
    RunResult plot = run_recur({"plot", "forecast", "--input", out.string(), "--step", "6", "-o", png.string()});
    ASSERT_EQ(plot.code, 0) << plot.err;
    EXPECT_GT(fs::file_size(png), 1000u);
    RunResult step0 = run_recur({"plot", "forecast", "--input", out.string(), "--step", "0", "-o", png.string()});
    EXPECT_EQ(step0.code, 2);
    EXPECT_NE(step0.err.find("--step"), std::string::npos) << step0.err;
    // The trend and the season learnt: better than "next month equals this month" and
    // than "next month equals that month last year".
    EXPECT_LT(mase[0], mase[1]);
    EXPECT_LT(mase[0], mase[2]);
    EXPECT_NEAR(mae[0] / mase[0], mae[2] / mase[2], 1e-4);  // one scale for all (6 digits printed)
  }

  {
    SCOPED_TRACE("usage errors name the flag (exit 2), bad input names file:line:column (exit 1)");
    const std::vector<std::string> base{"forecast", "-m", model.string(), "-i", kSeries.string()};
    auto with = [&](std::vector<std::string> extra) {
      std::vector<std::string> a = base;
      a.insert(a.end(), extra.begin(), extra.end());
      return run_recur(a);
    };
    RunResult no_horizon = with({});
    EXPECT_EQ(no_horizon.code, 2);
    EXPECT_NE(no_horizon.err.find("--horizon: the number of steps to forecast is required"), std::string::npos);
    RunResult too_long = with({"--horizon", "7"});
    EXPECT_EQ(too_long.code, 2);
    EXPECT_NE(too_long.err.find("--horizon: expected an integer in [1, 6]"), std::string::npos) << too_long.err;
    EXPECT_EQ(with({"--horizon", "0"}).code, 2);
    RunResult zero_windows = with({"--horizon", "6", "--backtest", "0"});
    EXPECT_EQ(zero_windows.code, 2);
    EXPECT_NE(zero_windows.err.find("--backtest"), std::string::npos);
    RunResult too_many = with({"--horizon", "6", "--backtest", "220"});
    EXPECT_EQ(too_many.code, 1);
    EXPECT_NE(too_many.err.find("rows are too few for 220 backtest windows"), std::string::npos) << too_many.err;
    RunResult ref = run_recur({"eval", "--metric", "forecast", "-m", model.string(), "-i", kSeries.string(),
                               "--horizon", "6", "--backtest", "3", "--ref", kSeries.string()});
    EXPECT_EQ(ref.code, 2);
    EXPECT_NE(ref.err.find("--ref: is not read with --metric forecast"), std::string::npos) << ref.err;

    const fs::path bad = series_with(dir.path(), "bad.csv", 40, "1961-05-01,abc,1");
    RunResult r = run_recur({"forecast", "-m", model.string(), "-i", bad.string(), "--horizon", "3"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find(bad.string() + ":40:co2: 'abc' is not a finite number"), std::string::npos) << r.err;
    const fs::path repeated = series_with(dir.path(), "repeated.csv", 41, "1961-05-01,318.5,1");
    r = run_recur({"forecast", "-m", model.string(), "-i", repeated.string(), "--horizon", "3"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find(repeated.string() + ":41:time: '1961-05-01' repeats the time of line 40"), std::string::npos)
        << r.err;
    const fs::path gap = series_with(dir.path(), "gap.csv", 41, "1961-07-01,318.5,1");
    r = run_recur({"forecast", "-m", model.string(), "-i", gap.string(), "--horizon", "3"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find(gap.string() + ":41:time: '1961-07-01' is 2 months after '1961-05-01'"), std::string::npos)
        << r.err;
    const fs::path renamed = series_with(dir.path(), "renamed.csv", 1, "time,CO2,co2_adjusted");
    r = run_recur({"forecast", "-m", model.string(), "-i", renamed.string(), "--horizon", "3"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find(renamed.string() + ":1: no column 'co2' in the header"), std::string::npos) << r.err;
    r = run_recur({"run", (model / "pipeline.yaml").string(), "-i", kSeries.string()});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("reads a whole series, not lines"), std::string::npos) << r.err;
  }
}

// The Trainer's checkpoints cover the task: a run stopped at step 100 and resumed there
// (mid-epoch: 6 batches an epoch) to 150 exports the same weights, byte for byte, as one
// run of 150 steps (the epoch's window order depends on the epoch alone; the fitted
// scalers, an integer buffer, come back from the checkpoint).
TEST(ForecastCli, ResumeIsExact) {
  TempDir dir;
  auto train = [&](const std::string& name, int steps, bool resume) {
    const fs::path yaml = dir.path() / (name + ".yaml");
    std::ofstream(yaml) << pipeline_yaml(steps);
    std::vector<std::string> args{"train", yaml.string(), "-o", (dir.path() / name).string(), "--threads", "1"};
    if (resume) args.push_back("--resume");
    RunResult r = run_recur(args);
    EXPECT_EQ(r.code, 0) << r.err;
    if (resume) {
      EXPECT_NE(r.err.find("at step 100 (epoch 17, batch 4)"), std::string::npos) << r.err;
    }
    return read(dir.path() / name / "model.safetensors");
  };
  const std::string whole = train("whole", 150, false);
  fs::remove_all(dir.path() / "ckpt");
  const std::string part = train("split", 100, false);
  const std::string resumed = train("split", 150, true);
  ASSERT_FALSE(whole.empty());
  EXPECT_TRUE(part != resumed) << "the resumed run did not train on";
  EXPECT_TRUE(whole == resumed) << "the resumed run's weights differ from the uninterrupted run's";
}

}  // namespace
}  // namespace recur::testing
