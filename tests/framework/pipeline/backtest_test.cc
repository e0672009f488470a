// Rolling-origin backtests over a stand-in forecaster whose forecasts are known: the
// windows' origins, the baselines' forecasts, the shared MASE scale and the interval
// coverage, all by hand.
#include "recur/pipeline/backtest.h"

#include <gtest/gtest.h>

#include <sstream>

#include "recur/core/error.h"

namespace recur {
namespace {

// y = 0, 1, 0, 2, 0, 3, 0, 4 (rows 0..7), season 2.
data::Series series() {
  std::istringstream in("time,y\n1,0\n2,1\n3,0\n4,2\n5,0\n6,3\n7,0\n8,4\n");
  return data::read_series_csv(in, "s.csv", {});
}

// Forecasts the actual value + 1 (the truth known from the series), with an interval
// [point - 1.5, point + 0.5] on even rows, [point - 1.5, point - 1.25] on odd ones: it holds
// the actual value (point - 1) only on even rows.
class Oracle final : public Forecaster {
 public:
  explicit Oracle(std::vector<double> y) : y_(std::move(y)) {}
  data::SeriesReadOptions read_options() const override { return {}; }
  const std::string& target() const override { return target_; }
  std::int64_t season() const override { return 2; }
  std::int64_t context() const override { return 2; }
  std::int64_t max_horizon() const override { return 4; }
  std::vector<Forecast> forecast(const data::Series&, const std::vector<std::int64_t>& origins,
                                 std::int64_t horizon) override {
    std::vector<Forecast> out;
    for (std::int64_t o : origins) {
      seen.push_back(o);
      Forecast f;
      f.levels = {0.1f, 0.9f};
      f.quantiles.assign(2, {});
      for (std::int64_t k = 0; k < horizon; ++k) {
        const double p = y_[o + k] + 1.0;
        f.point.push_back(p);
        f.quantiles[0].push_back(p - 1.5);
        f.quantiles[1].push_back((o + k) % 2 == 0 ? p + 0.5 : p - 1.25);  // odd rows: the interval misses
      }
      out.push_back(std::move(f));
    }
    return out;
  }
  std::vector<std::int64_t> seen;

 private:
  std::vector<double> y_;
  std::string target_ = "y";
};

TEST(Backtest, WindowsBaselinesAndScaleByHand) {
  const data::Series s = series();
  Oracle oracle(s.column("y"));
  const Backtest b = run_backtest(oracle, s, 3, 2);
  // Windows of 2 steps from the last 3 origins, the last ending at row 7: origins 4, 5, 6.
  EXPECT_EQ(oracle.seen, (std::vector<std::int64_t>{4, 5, 6}));
  ASSERT_EQ(b.windows.size(), 3u);
  EXPECT_EQ(b.windows[0].actual, (std::vector<double>{0, 3}));
  EXPECT_EQ(b.windows[0].naive, (std::vector<double>{2, 2}));           // row 3
  EXPECT_EQ(b.windows[0].seasonal_naive, (std::vector<double>{0, 2}));  // rows 2, 3
  EXPECT_EQ(b.windows[2].seasonal_naive, (std::vector<double>{0, 3}));  // rows 4, 5
  // Scale: |y_t - y_{t-2}| over rows 2, 3 of the history before origin 4: 0 and 1.
  EXPECT_DOUBLE_EQ(b.scale, 0.5);
  EXPECT_DOUBLE_EQ(b.model.mae, 1.0);
  EXPECT_DOUBLE_EQ(b.model.mase, 2.0);
  // Naive errors: |0-2|, |3-2|; |3-0|, |0-0|; |0-3|, |4-3| -> 10 / 6.
  EXPECT_DOUBLE_EQ(b.naive.mae, 10.0 / 6.0);
  // Seasonal naive: origin 4 reads rows 2, 3: 0, 2 against 0, 3 -> 0, 1; origin 5 rows 3, 4: 2, 0
  // against 3, 0 -> 1, 0; origin 6 rows 4, 5: 0, 3 against 0, 4 -> 0, 1. Total 3 / 6.
  EXPECT_DOUBLE_EQ(b.seasonal_naive.mae, 0.5);
  EXPECT_DOUBLE_EQ(b.seasonal_naive.mase, 1.0);
  // Rows 4, 5, 5, 6, 6, 7 forecast: even rows 4, 6, 6 inside the interval.
  EXPECT_DOUBLE_EQ(b.coverage, 50.0);
}

TEST(Backtest, TooShortNamesWhatIsMissing) {
  const data::Series s = series();
  Oracle oracle(s.column("y"));
  try {
    run_backtest(oracle, s, 5, 2);  // first origin 2 < a season and one (3)
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "s.csv: 8 rows are too few for 5 backtest windows of 2 steps after 3 rows of history (the model's "
              "context or a season and one)");
  }
  EXPECT_THROW(run_backtest(oracle, s, 0, 2), Error);
}

}  // namespace
}  // namespace recur
