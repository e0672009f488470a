// The viridis colour map (perceptually uniform, readable in grey and by colour-blind
// readers), a diverging map for signed values, a palette for lines, and the colour bars
// drawn beside a heatmap.
#pragma once

#include <cairo.h>

#include <string>

#include "recur/viz/figure.h"

namespace recur::viz {

struct Rgb {
  double r = 0, g = 0, b = 0;  // 0..1
};

// t in [0, 1] (clamped): dark purple -> blue -> green -> yellow.
Rgb viridis(double t);
// t in [-1, 1] (clamped): blue -> white (0) -> red, for values with a sign (a hidden
// unit's activation): ColorBrewer's RdBu, reversed.
Rgb diverging(double t);
// The i-th of 8 distinct line colours (repeats after 8).
Rgb palette(int i);
// "#rrggbb".
std::string hex(Rgb colour);

void set_colour(cairo_t* cr, Rgb colour, double alpha = 1.0);

// A vertical bar from `lo` (bottom) to `hi` (top) with three labelled ticks at its right;
// `area` is the bar itself; the labels need about 40 px to its right.
void draw_colour_bar(cairo_t* cr, const Rect& area, double lo, double hi);
// The same for the diverging map, from -1 (bottom) to 1 (top), labelled `lo` .. `hi`.
void draw_diverging_bar(cairo_t* cr, const Rect& area, double lo, double hi);

}  // namespace recur::viz
