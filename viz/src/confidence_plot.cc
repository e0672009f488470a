// How confident a generated line was: steps along x (bands of columns wrap down the page),
// the k candidates of each step down the column with their piece and probability, the
// chosen piece under the column and its cell outlined.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "recur/viz/colour_map.h"
#include "recur/viz/plots.h"
#include "recur/viz/text.h"

namespace recur::viz {
namespace {

constexpr double kMargin = 16;
constexpr double kCellH = 34;
constexpr double kChosenH = 22;     // the chosen piece under a band's cells
constexpr double kBandGap = 18;
constexpr double kMaxGridW = 1100;  // a band's cells wrap beyond this width
const Font kTitleFont{15, true};
const Font kNoteFont{12};
const Font kPieceFont{11};
const Font kProbFont{10};
const Font kChosenFont{11, true};
const Font kLabelFont{11};

std::string probability_text(float p) {
  char text[16];
  std::snprintf(text, sizeof text, "%.2f", static_cast<double>(p));
  return text;
}

struct Layout {
  std::size_t k = 0;            // rows: the most candidates of any step
  double cell_w = 0;
  std::size_t per_band = 1;     // steps per band
  double x0 = 0, y0 = 0;        // top-left of the first band's cells
  double band_h = 0;
  double width = 0, height = 0;
  std::string title;
  std::vector<std::string> notes;
};

Layout layout(const TokenConfidence& r) {
  MeasureContext measure;
  cairo_t* cr = measure.get();
  Layout l;
  double widest = 0;
  for (std::size_t s = 0; s < r.tokens.size(); ++s) {
    l.k = std::max(l.k, r.top_k[s].size());
    widest = std::max(widest, measure_text(cr, visible(r.tokens[s]), kChosenFont).width);
    for (const auto& c : r.top_k[s]) widest = std::max(widest, measure_text(cr, visible(c.piece), kPieceFont).width);
  }
  l.cell_w = std::clamp(std::ceil(widest) + 8, 34.0, 84.0);
  l.per_band = std::max<std::size_t>(1, static_cast<std::size_t>(kMaxGridW / l.cell_w));
  l.per_band = std::min(l.per_band, std::max<std::size_t>(r.tokens.size(), 1));
  const std::size_t bands = std::max<std::size_t>(1, (r.tokens.size() + l.per_band - 1) / l.per_band);
  l.x0 = kMargin + 44;  // "rank" and the rank labels
  const double grid_w = l.cell_w * static_cast<double>(l.per_band);
  l.width = std::max(l.x0 + grid_w + 14 + 14 + 44 + kMargin, 480.0);
  const double text_w = l.width - 2 * kMargin;
  l.title = elide(cr, "confidence, line " + std::to_string(r.line), kTitleFont, text_w);
  double mean = 0;
  for (std::size_t s = 0; s < r.tokens.size(); ++s) {
    float p = 0;
    for (const auto& c : r.top_k[s]) {
      if (c.piece == r.tokens[s]) p = std::max(p, c.probability);
    }
    mean += p;
  }
  if (!r.tokens.empty()) mean /= static_cast<double>(r.tokens.size());
  l.notes = {elide(cr, "output: " + detokenize(r.tokens), kNoteFont, text_w),
             elide(cr,
                   std::to_string(r.tokens.size()) + " steps, " + std::to_string(l.k) +
                       " candidates each; mean probability of the chosen piece " +
                       probability_text(static_cast<float>(mean)) + " (0 where it is not among them)",
                   kNoteFont, text_w)};
  double header = measure_text(cr, l.title, kTitleFont).height + 4;
  for (const auto& note : l.notes) header += measure_text(cr, note, kNoteFont).height + 2;
  l.y0 = kMargin + header + 12;
  l.band_h = kCellH * static_cast<double>(l.k) + kChosenH + kBandGap;
  l.height = l.y0 + l.band_h * static_cast<double>(bands) + kMargin;
  return l;
}

Rect cell_rect(const Layout& l, std::size_t step, std::size_t rank) {
  const std::size_t band = step / l.per_band, column = step % l.per_band;
  return {l.x0 + l.cell_w * static_cast<double>(column),
          l.y0 + l.band_h * static_cast<double>(band) + kCellH * static_cast<double>(rank), l.cell_w, kCellH};
}

void draw(cairo_t* cr, const TokenConfidence& r, const Layout& l) {
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  draw_text(cr, l.title, kTitleFont, kMargin, kMargin);
  double y = kMargin + measure_text(cr, l.title, kTitleFont).height + 4;
  cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
  for (const auto& note : l.notes) {
    draw_text(cr, note, kNoteFont, kMargin, y);
    y += measure_text(cr, note, kNoteFont).height + 2;
  }
  if (r.tokens.empty()) {
    draw_text(cr, "(nothing to show: the input line was blank)", Font{12}, kMargin, l.y0);
    return;
  }
  const std::size_t bands = (r.tokens.size() + l.per_band - 1) / l.per_band;
  for (std::size_t b = 0; b < bands; ++b) {
    const double top = l.y0 + l.band_h * static_cast<double>(b);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    for (std::size_t k = 0; k < l.k; ++k) {
      draw_text(cr, std::to_string(k + 1), kLabelFont, l.x0 - 6, top + kCellH * (static_cast<double>(k) + 0.5),
                Align::kEnd, Align::kCenter);
    }
    draw_text(cr, "rank", kLabelFont, kMargin, top + kCellH * static_cast<double>(l.k) / 2, Align::kCenter,
              Align::kStart, 90);
    draw_text(cr, "chosen", kLabelFont, l.x0 - 6, top + kCellH * static_cast<double>(l.k) + kChosenH / 2,
              Align::kEnd, Align::kCenter);
  }
  for (std::size_t s = 0; s < r.tokens.size(); ++s) {
    for (std::size_t k = 0; k < r.top_k[s].size(); ++k) {
      const TokenCandidate& c = r.top_k[s][k];
      const Rect cell = cell_rect(l, s, k);
      set_colour(cr, viridis(c.probability));
      cairo_rectangle(cr, cell.x, cell.y, cell.width + 0.5, cell.height + 0.5);
      cairo_fill(cr);
      // Light text on the dark half of viridis, dark text on the light half.
      if (c.probability < 0.6f) cairo_set_source_rgb(cr, 1, 1, 1);
      else cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
      const double cx = cell.x + cell.width / 2;
      draw_text(cr, elide(cr, visible(c.piece), kPieceFont, cell.width - 4), kPieceFont, cx, cell.y + 3,
                Align::kCenter);
      draw_text(cr, probability_text(c.probability), kProbFont, cx, cell.y + cell.height - 3, Align::kCenter,
                Align::kEnd);
    }
    for (std::size_t k = 0; k < r.top_k[s].size(); ++k) {
      if (r.top_k[s][k].piece != r.tokens[s]) continue;
      const Rect cell = cell_rect(l, s, k);
      cairo_set_source_rgb(cr, 0.9, 0.1, 0.1);
      cairo_set_line_width(cr, 2);
      cairo_rectangle(cr, cell.x + 1.5, cell.y + 1.5, cell.width - 3, cell.height - 3);
      cairo_stroke(cr);
      break;
    }
    const Rect below = cell_rect(l, s, l.k);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    draw_text(cr, elide(cr, visible(r.tokens[s]), kChosenFont, below.width - 2), kChosenFont,
              below.x + below.width / 2, below.y + kChosenH / 2, Align::kCenter, Align::kCenter);
  }
  const double grid_w = l.cell_w * static_cast<double>(l.per_band);
  draw_colour_bar(cr, {l.x0 + grid_w + 14, l.y0, 14, std::max(kCellH * static_cast<double>(l.k), 60.0)}, 0, 1);
}

}  // namespace

Figure confidence_figure(const TokenConfidence& record) {
  auto l = std::make_shared<Layout>(layout(record));
  Figure figure;
  figure.width = std::ceil(l->width);
  figure.height = std::ceil(l->height);
  figure.draw = [record, l](cairo_t* cr) { draw(cr, record, *l); };
  for (std::size_t s = 0; s < record.tokens.size(); ++s) {
    for (std::size_t k = 0; k < record.top_k[s].size(); ++k) {
      const TokenCandidate& c = record.top_k[s][k];
      figure.hotspots.push_back({cell_rect(*l, s, k), "step " + std::to_string(s) + ", rank " + std::to_string(k + 1) +
                                                          ": \u2018" + visible(c.piece) + "\u2019 " +
                                                          probability_text(c.probability) + " (chosen \u2018" +
                                                          visible(record.tokens[s]) + "\u2019)"});
    }
  }
  return figure;
}

}  // namespace recur::viz
