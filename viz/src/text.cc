#include "recur/viz/text.h"

#include <glib.h>
#include <pango/pangocairo.h>

#include <cmath>
#include <memory>

namespace recur::viz {
namespace {

// Fontconfig falls back beyond this list (emoji find Noto Color Emoji that way); naming
// the installed families keeps the choice the same on every machine that has them
// (scripts/install-deps.sh). The emoji font is not named: it has digits, and fontconfig
// would then draw "2000" with keycap-width emoji digits.
constexpr const char* kFamilies = "DejaVu Sans, Droid Sans Fallback";

struct LayoutDeleter {
  void operator()(PangoLayout* layout) const { g_object_unref(layout); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, LayoutDeleter>;

std::string valid_utf8(const std::string& text) {
  if (g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr)) return text;
  gchar* fixed = g_utf8_make_valid(text.data(), static_cast<gssize>(text.size()));
  std::string result(fixed);
  g_free(fixed);
  return result;
}

LayoutPtr make_layout(cairo_t* cr, const std::string& text, const Font& font) {
  LayoutPtr layout(pango_cairo_create_layout(cr));
  // No hinting and unhinted metrics: the same layout on PNG and SVG surfaces, and the
  // same pixels from run to run.
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY);
  PangoContext* context = pango_layout_get_context(layout.get());
  pango_cairo_context_set_font_options(context, options);
  cairo_font_options_destroy(options);
  pango_layout_context_changed(layout.get());

  PangoFontDescription* description = pango_font_description_from_string(kFamilies);
  pango_font_description_set_absolute_size(description, font.size * PANGO_SCALE);
  pango_font_description_set_weight(description,
                                    font.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(layout.get(), description);
  pango_font_description_free(description);
  const std::string valid = valid_utf8(text);
  pango_layout_set_text(layout.get(), valid.data(), static_cast<int>(valid.size()));
  return layout;
}

TextSize size_of(PangoLayout* layout) {
  PangoRectangle logical;
  pango_layout_get_extents(layout, nullptr, &logical);
  return {static_cast<double>(logical.width) / PANGO_SCALE,
          static_cast<double>(logical.height) / PANGO_SCALE};
}

double offset(Align align, double extent) {
  switch (align) {
    case Align::kStart:
      return 0;
    case Align::kCenter:
      return -extent / 2;
    case Align::kEnd:
      return -extent;
  }
  return 0;
}

}  // namespace

TextSize measure_text(cairo_t* cr, const std::string& text, const Font& font) {
  return size_of(make_layout(cr, text, font).get());
}

int unknown_glyphs(cairo_t* cr, const std::string& text, const Font& font) {
  return pango_layout_get_unknown_glyphs_count(make_layout(cr, text, font).get());
}

void draw_text(cairo_t* cr, const std::string& text, const Font& font, double x, double y, Align h,
               Align v, double angle) {
  LayoutPtr layout = make_layout(cr, text, font);
  const TextSize size = size_of(layout.get());
  cairo_save(cr);
  cairo_translate(cr, x, y);
  if (angle != 0) cairo_rotate(cr, -angle * M_PI / 180.0);
  cairo_move_to(cr, offset(h, size.width), offset(v, size.height));
  pango_cairo_update_layout(cr, layout.get());
  pango_cairo_show_layout(cr, layout.get());
  cairo_restore(cr);
}

std::string elide(cairo_t* cr, const std::string& text, const Font& font, double max_width) {
  if (measure_text(cr, text, font).width <= max_width) return text;
  const std::string valid = valid_utf8(text);
  // Drop whole characters from the end until the text and the ellipsis fit.
  std::string kept = valid;
  while (!kept.empty()) {
    const char* end = kept.data() + kept.size();
    const char* previous = g_utf8_find_prev_char(kept.data(), end);
    kept.resize(previous ? static_cast<std::size_t>(previous - kept.data()) : 0);
    if (measure_text(cr, kept + "…", font).width <= max_width) break;
  }
  return kept + "…";
}

std::string visible(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == ' ') out += "\u2423";
    else if (c == '\n') out += "\u23ce";
    else if (c == '\t') out += "\u21e5";
    else out += c;
  }
  return out;
}

std::string detokenize(const std::vector<std::string>& pieces) {
  static const std::string kSpace = "\u2581";
  std::string text;
  for (const std::string& piece : pieces) {
    if (piece == "</s>") continue;
    for (std::size_t at = 0; at < piece.size();) {
      if (piece.compare(at, kSpace.size(), kSpace) == 0) {
        text += ' ';
        at += kSpace.size();
      } else {
        text += piece[at++];
      }
    }
  }
  const std::size_t first = text.find_first_not_of(' ');
  return first == std::string::npos ? "" : text.substr(first);
}

}  // namespace recur::viz
