// Training curves of one or more runs: loss, perplexity, learning rate, gradient norm and
// the validation metrics against step.
#include <cmath>
#include <set>

#include "recur/viz/line_chart.h"
#include "recur/viz/plots.h"
#include "recur/viz/text.h"

namespace recur::viz {
namespace {

constexpr double kMargin = 16;
constexpr double kPanelW = 470, kPanelH = 270;

using TrainValue = double (*)(const TrainRow&);

Series train_series(const TrainingRun& run, int i, TrainValue value) {
  Series s{run.name, {}, {}, palette(i)};
  for (const TrainRow& row : run.train) {
    s.x.push_back(static_cast<double>(row.step));
    s.y.push_back(value(row));
  }
  return s;
}

Series valid_series(const TrainingRun& run, int i, const std::string& metric, bool alone) {
  Series s{alone ? run.name : run.name + " (valid)", {}, {}, palette(i), !alone, true};
  for (const ValidRow& row : run.valid) {
    auto it = row.metrics.find(metric);
    if (it == row.metrics.end()) continue;
    s.x.push_back(static_cast<double>(row.step));
    s.y.push_back(it->second);
  }
  return s;
}

bool has_points(const LineChartSpec& chart) {
  for (const Series& s : chart.series) {
    for (double y : s.y) {
      if (std::isfinite(y)) return true;
    }
  }
  return false;
}

std::vector<LineChartSpec> charts(const std::vector<TrainingRun>& runs) {
  LineChartSpec loss{"loss (train; valid dashed)", "step", false, {}};
  LineChartSpec ppl{"perplexity (log scale)", "step", true, {}};
  LineChartSpec lr{"learning rate", "step", false, {}};
  LineChartSpec norm{"gradient norm", "step", false, {}};
  std::set<std::string> metrics;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const TrainingRun& run = runs[i];
    const int c = static_cast<int>(i);
    loss.series.push_back(train_series(run, c, [](const TrainRow& r) { return r.loss; }));
    loss.series.push_back(valid_series(run, c, "loss", false));
    ppl.series.push_back(train_series(run, c, [](const TrainRow& r) { return r.ppl; }));
    ppl.series.push_back(valid_series(run, c, "ppl", false));
    lr.series.push_back(train_series(run, c, [](const TrainRow& r) { return r.lr; }));
    norm.series.push_back(train_series(run, c, [](const TrainRow& r) { return r.grad_norm; }));
    for (const ValidRow& row : run.valid) {
      for (const auto& [name, value] : row.metrics) {
        if (name != "loss" && name != "ppl") metrics.insert(name);
      }
    }
  }
  std::vector<LineChartSpec> result;
  for (LineChartSpec* chart : {&loss, &ppl, &lr, &norm}) {
    if (has_points(*chart)) result.push_back(*chart);
  }
  for (const std::string& metric : metrics) {
    LineChartSpec chart{"validation " + metric, "step", false, {}};
    for (std::size_t i = 0; i < runs.size(); ++i) {
      chart.series.push_back(valid_series(runs[i], static_cast<int>(i), metric, true));
    }
    result.push_back(chart);
  }
  // Series with no point of their own add nothing but a legend line.
  for (LineChartSpec& chart : result) {
    std::erase_if(chart.series, [](const Series& s) { return s.x.empty(); });
  }
  return result;
}

}  // namespace

Figure training_figure(const std::vector<TrainingRun>& runs) {
  const std::vector<LineChartSpec> panels = charts(runs);
  std::string names;
  for (const TrainingRun& run : runs) names += (names.empty() ? "" : ", ") + run.name;
  const std::string title = "training: " + names;
  const std::size_t columns = panels.size() > 1 ? 2 : 1;
  const std::size_t rows = std::max<std::size_t>((panels.size() + columns - 1) / columns, 1);
  Figure figure;
  figure.width = 2 * kMargin + kPanelW * static_cast<double>(columns);
  figure.height = kMargin + 30 + kPanelH * static_cast<double>(rows) + kMargin;
  auto area = [=](std::size_t i) {
    return Rect{kMargin + kPanelW * static_cast<double>(i % columns),
                kMargin + 30 + kPanelH * static_cast<double>(i / columns), kPanelW - 12,
                kPanelH - 12};
  };
  // Hotspots come from the drawing itself: measure once on a scratch context.
  {
    MeasureContext measure;
    for (std::size_t i = 0; i < panels.size(); ++i) {
      draw_line_chart(measure.get(), area(i), panels[i], &figure.hotspots);
    }
  }
  figure.draw = [=](cairo_t* cr) {
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    draw_text(cr, title, Font{15, true}, kMargin, kMargin);
    if (panels.empty()) draw_text(cr, "(the logs have no rows)", Font{12}, kMargin, kMargin + 30);
    for (std::size_t i = 0; i < panels.size(); ++i) draw_line_chart(cr, area(i), panels[i]);
  };
  return figure;
}

}  // namespace recur::viz
