// Text with Pango: real shaping and font fallback through fontconfig (DejaVu Sans for
// Latin, Droid Sans Fallback for CJK, Noto Color Emoji found by fontconfig), the same metrics for
// PNG and SVG (no hinting), rotated labels. Invalid UTF-8 is drawn with replacement characters.
#pragma once

#include <cairo.h>

#include <string>
#include <vector>

namespace recur::viz {

struct Font {
  double size = 12;  // pixels
  bool bold = false;
};

struct TextSize {
  double width = 0, height = 0;  // logical extents, pixels
};

enum class Align { kStart, kCenter, kEnd };

// The size `text` takes when drawn unrotated.
TextSize measure_text(cairo_t* cr, const std::string& text, const Font& font);

// Characters of `text` that no installed font can draw (drawn as boxes); 0 when every
// glyph is real.
int unknown_glyphs(cairo_t* cr, const std::string& text, const Font& font);

// Draws `text` so that the point (x, y) is at its `h` x `v` anchor. With `angle` (degrees,
// counter-clockwise) the text is rotated about that point, alignment taken along the text.
void draw_text(cairo_t* cr, const std::string& text, const Font& font, double x, double y,
               Align h = Align::kStart, Align v = Align::kStart, double angle = 0);

// A token's text made visible: a space as "␣", a line break as "⏎", a tab as "⇥"
// (sentencepiece's "▁" is kept: it marks a word start).
std::string visible(const std::string& text);

// Sentencepiece pieces joined back into text ("▁" marks a word start, "</s>" is left out).
std::string detokenize(const std::vector<std::string>& pieces);

// `text` cut to at most `max_width` pixels with a trailing "…" when it is longer.
std::string elide(cairo_t* cr, const std::string& text, const Font& font, double max_width);

}  // namespace recur::viz
