// A captioned image: one panel per generated word with that word's attention over it.
#include <algorithm>
#include <cmath>
#include <memory>

#include "recur/viz/colour_map.h"
#include "recur/viz/image_overlay.h"
#include "recur/viz/plots.h"
#include "recur/viz/text.h"

namespace recur::viz {
namespace {

constexpr double kMargin = 16;
constexpr double kGap = 12;
constexpr int kImageSide = 160;  // the longer side of each panel's image
constexpr std::size_t kColumns = 6;
const Font kTitleFont{15, true};
const Font kWordFont{13};

std::string caption_of(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& w : words) {
    if (w == "</s>") continue;
    text += (text.empty() ? "" : " ") + w;
  }
  return text;
}

}  // namespace

Figure image_attention_figure(const ImageAttention& record,
                              const std::filesystem::path& image_root) {
  const std::filesystem::path path = std::filesystem::path(record.path).is_absolute()
                                         ? std::filesystem::path(record.path)
                                         : image_root / record.path;
  std::shared_ptr<cairo_surface_t> image(load_image(path, kImageSide).release(),
                                         &cairo_surface_destroy);
  std::vector<std::shared_ptr<cairo_surface_t>> panels;
  for (const auto& weights : record.weights) {
    panels.emplace_back(
        overlay_attention(image.get(), weights, record.grid_h, record.grid_w).release(),
        &cairo_surface_destroy);
  }
  const double w = cairo_image_surface_get_width(image.get());
  const double h = cairo_image_surface_get_height(image.get());
  MeasureContext measure;
  const double word_h = measure_text(measure.get(), "Ag", kWordFont).height + 6;
  const std::size_t n = std::max<std::size_t>(panels.size(), 1);
  const std::size_t columns = std::min(n, kColumns);
  const std::size_t rows = (n + columns - 1) / columns;
  const double cell_w = std::max(w, 60.0) + kGap, cell_h = h + word_h + kGap;

  Figure figure;
  figure.width = std::ceil(std::max(2 * kMargin + columns * cell_w - kGap, 480.0));
  const std::string title = elide(measure.get(),
                                  "line " + std::to_string(record.line) + ": " + record.path +
                                      " \u2014 \u201c" + caption_of(record.words) + "\u201d",
                                  kTitleFont, figure.width - 2 * kMargin);
  const double title_h = measure_text(measure.get(), title, kTitleFont).height + 10;
  figure.height = std::ceil(kMargin + title_h + rows * cell_h - kGap + kMargin);
  auto origin = [=](std::size_t i) {
    return Rect{kMargin + static_cast<double>(i % columns) * cell_w,
                kMargin + title_h + static_cast<double>(i / columns) * cell_h, w, h};
  };
  for (std::size_t i = 0; i < panels.size(); ++i) {
    const auto& weights = record.weights[i];
    const auto peak = std::max_element(weights.begin(), weights.end()) - weights.begin();
    figure.hotspots.push_back({origin(i), "word " + std::to_string(i) + " \u2018" +
                                              record.words[i] +
                                              "\u2019: strongest attention at grid row " +
                                              std::to_string(peak / record.grid_w) + ", column " +
                                              std::to_string(peak % record.grid_w)});
  }
  figure.draw = [=, words = record.words](cairo_t* cr) {
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    draw_text(cr, title, kTitleFont, kMargin, kMargin);
    if (panels.empty()) {
      draw_text(cr, "(no words: the image gave no caption)", Font{12}, kMargin, kMargin + title_h);
      return;
    }
    for (std::size_t i = 0; i < panels.size(); ++i) {
      const Rect at = origin(i);
      cairo_set_source_surface(cr, panels[i].get(), at.x, at.y);
      cairo_paint(cr);
      cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
      draw_text(cr, elide(cr, words[i], kWordFont, cell_w - 4), kWordFont, at.x + at.width / 2,
                at.y + at.height + 4, Align::kCenter);
    }
  };
  return figure;
}

}  // namespace recur::viz
