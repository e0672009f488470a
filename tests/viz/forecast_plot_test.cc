// The forecast plot: time stamps as numbers, both CSVs of `recur forecast` drawn, and
// the files it cannot draw named by FILE:LINE and column.
#include "recur/viz/forecast_plot.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "recur/core/error.h"

namespace recur::viz {
namespace {

namespace fs = std::filesystem;

fs::path write(const std::string& name, const std::string& text) {
  const fs::path p = fs::temp_directory_path() / ("recur_fc_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(p) << text;
  return p;
}

std::string error_of(const fs::path& forecast, const fs::path& series, std::int64_t step = 1) {
  try {
    forecast_figure(forecast, series, step, 0);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

const char* kWindows =
    "origin,time,step,actual,y,naive,seasonal_naive,y_q0.1,y_q0.9\n"
    "2000-01-01,2000-01-01,1,1,1.5,0,0,1,2\n2000-01-01,2000-02-01,2,2,2.5,0,0,2,3\n"
    "2000-02-01,2000-02-01,1,2,2.5,1,1,2,3\n2000-02-01,2000-03-01,2,3,3.5,1,1,3,4\n";

TEST(ForecastPlot, TimesAsNumbers) {
  EXPECT_EQ(time_value("1700", "f"), 1700.0);
  EXPECT_EQ(time_value("-5", "f"), -5.0);
  EXPECT_DOUBLE_EQ(time_value("2020-07-01", "f"), 2020.5);
  EXPECT_DOUBLE_EQ(time_value("2020-01-01", "f"), 2020.0);
  EXPECT_THROW(time_value("2020-13-01", "f"), IoError);
  EXPECT_THROW(time_value("Q1 2020", "f"), IoError);
}

TEST(ForecastPlot, DrawsBacktestWindowsAndForecastsPastTheEnd) {
  const fs::path windows = write("w.csv", kWindows);
  const Figure w = forecast_figure(windows, {}, 2, 0);
  EXPECT_GT(w.width, 0);
  // One marker (hotspot) per point of the model's line: the two windows' step-2 forecasts.
  EXPECT_EQ(w.hotspots.size(), 2u);
  EXPECT_GT(render(w, Format::kPng).size(), 1000u);
  const fs::path series = write("s.csv", "time,y\n1,1\n2,2\n3,3\n");
  const fs::path future = write("f.csv", "time,y,y_q0.1,y_q0.9\n4,4,3,5\n5,5,4,6\n");
  const Figure f = forecast_figure(future, series, 1, 0);
  EXPECT_EQ(f.hotspots.size(), 3u);  // the last value seen, then the two forecasts
  EXPECT_GT(render(f, Format::kSvg).size(), 1000u);
  for (const auto& p : {windows, series, future}) fs::remove(p);
}

TEST(ForecastPlot, ErrorsNameTheFile) {
  const fs::path windows = write("w.csv", kWindows);
  EXPECT_EQ(error_of(windows, {}, 3), windows.string() + ": no backtest window has a step 3");
  const fs::path bad = write("b.csv", "origin,time,step,actual,y,naive,seasonal_naive\n1,1,1,x,1,1,1\n");
  EXPECT_EQ(error_of(bad, {}), bad.string() + ":2:actual: 'x' is not a number");
  const fs::path future = write("f.csv", "time,y\n4,4\n");
  EXPECT_EQ(error_of(future, {}),
            future.string() + ": a forecast past the end is drawn after its series: give the series CSV");
  for (const auto& p : {windows, bad, future}) fs::remove(p);
}

}  // namespace
}  // namespace recur::viz
