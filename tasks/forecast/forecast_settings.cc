#include "forecast_settings.h"

#include <algorithm>
#include <set>

#include "recur/core/error.h"
#include "recur/nn/rnn.h"

namespace recur::tasks {

std::vector<std::string> SeriesSettings::columns() const {
  std::vector<std::string> c{target};
  c.insert(c.end(), inputs.begin(), inputs.end());
  return c;
}

data::SeriesReadOptions SeriesSettings::read_options() const {
  data::SeriesReadOptions o;
  o.time_column = time;
  o.columns = columns();
  o.missing = missing;
  return o;
}

std::int64_t ForecasterSettings::outputs() const {
  return loss == ForecastLoss::quantile ? static_cast<std::int64_t>(quantiles.size()) : 1;
}

std::int64_t ForecasterSettings::point_index() const {
  if (loss != ForecastLoss::quantile) return 0;
  return static_cast<std::int64_t>(std::find(quantiles.begin(), quantiles.end(), 0.5f) - quantiles.begin());
}

SeriesSettings parse_series_settings(const config::Section& s) {
  SeriesSettings c;
  c.time = s.get<std::string>("time", c.time);
  if (!s.has("target")) s.fail("target", "a forecasting pipeline needs `series.target`, the column to forecast");
  c.target = s.get<std::string>("target");
  c.inputs = s.list<std::string>("inputs", std::vector<std::string>{});
  std::set<std::string> seen{c.time};
  for (const std::string& name : c.columns()) {
    if (name.empty()) s.fail("inputs", "a column name is empty");
    if (!seen.insert(name).second) s.fail(name == c.target ? "target" : "inputs", "column '" + name + "' is named twice");
  }
  const std::string fallback = s.one_of("scaler", {"none", "standard", "min_max", "log"}, std::string("standard"));
  config::Section per_column = s.optional_section("scalers");
  for (const std::string& key : per_column.keys()) {
    const auto cols = c.columns();
    if (std::find(cols.begin(), cols.end(), key) == cols.end()) {
      per_column.fail(key, "is not the target or an input column");
    }
  }
  for (const std::string& name : c.columns()) {
    const std::string kind =
        per_column.has(name) ? per_column.one_of(name, {"none", "standard", "min_max", "log"}) : fallback;
    c.scalers.push_back(data::scaler_kind(kind));
  }
  per_column.finish();
  c.season = s.positive<std::int64_t>("season", 1);
  c.calendar = s.get<bool>("calendar", false);
  if (c.calendar && c.season < 2) s.fail("calendar", "calendar features need a season of at least 2 steps");
  c.relative = s.get<bool>("relative", true);
  c.missing = s.one_of("missing", {"error", "interpolate"}, std::string("error")) == "interpolate"
                  ? data::MissingValues::interpolate
                  : data::MissingValues::error;
  s.finish();
  return c;
}

ForecasterSettings parse_forecaster_settings(const config::Section& s) {
  ForecasterSettings c;
  c.cell = *nn::rnn_cell_of(s.one_of("cell", {"lstm", "gru", "rnn"}, std::string("lstm")));
  c.hidden_size = s.positive<std::int64_t>("hidden_size", c.hidden_size);
  c.layers = s.positive<std::int64_t>("layers", c.layers);
  c.bidirectional = s.get<bool>("bidirectional", false);
  c.dropout = static_cast<float>(s.in_range("dropout", 0.0, 0.99, 0.0));
  c.context = s.positive<std::int64_t>("context", c.context);
  c.horizon = s.positive<std::int64_t>("horizon", c.horizon);
  c.head = s.one_of("head", {"direct", "autoregressive"}, std::string("direct")) == "direct"
               ? ForecastHead::direct
               : ForecastHead::autoregressive;
  const std::string loss = s.one_of("loss", {"mse", "mae", "quantile"}, std::string("mse"));
  c.loss = loss == "mse" ? ForecastLoss::mse : loss == "mae" ? ForecastLoss::mae : ForecastLoss::quantile;
  if (c.loss == ForecastLoss::quantile) {
    c.quantiles = s.list<float>("quantiles", std::vector<float>{0.1f, 0.5f, 0.9f});
    for (std::size_t i = 0; i < c.quantiles.size(); ++i) {
      const float q = c.quantiles[i];
      if (!(q > 0.0f && q < 1.0f)) s.fail("quantiles", "levels must lie in (0, 1), got " + std::to_string(q));
      if (i > 0 && !(q > c.quantiles[i - 1])) s.fail("quantiles", "levels must be ascending and distinct");
    }
    if (std::find(c.quantiles.begin(), c.quantiles.end(), 0.5f) == c.quantiles.end()) {
      s.fail("quantiles", "must hold 0.5: the median is the point forecast");
    }
  } else if (s.has("quantiles")) {
    s.fail("quantiles", "is only read with loss: quantile");
  }
  c.seed = static_cast<std::uint64_t>(s.non_negative<std::int64_t>("seed", 1));
  s.finish();
  return c;
}

}  // namespace recur::tasks
