// A picture: its size in pixels, how to draw it with Cairo, and the regions whose values
// an HTML report shows on hover. Rendered to PNG (deterministic bytes for the same input)
// or SVG (text drawn as glyph outlines, so it needs no font where it is viewed).
#pragma once

#include <cairo.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace recur::viz {

struct Rect {
  double x = 0, y = 0, width = 0, height = 0;
};

// A region of a figure and the text a report shows when the pointer is over it.
struct Hotspot {
  Rect rect;
  std::string text;
};

struct Figure {
  double width = 0;
  double height = 0;
  std::function<void(cairo_t*)> draw;  // draws on a white background of width x height
  std::vector<Hotspot> hotspots;
};

enum class Format { kPng, kSvg };

// The format for an output path's extension (.png or .svg); anything else is an error.
Format format_of(const std::filesystem::path& path);

// The figure as PNG bytes or SVG text.
std::string render(const Figure& figure, Format format);
// Renders to `path` in the format of its extension; the file appears complete or not at all.
void save(const Figure& figure, const std::filesystem::path& path);

// A Cairo context on a 1x1 surface for measuring text before a figure's size is known.
class MeasureContext {
 public:
  MeasureContext();
  ~MeasureContext();
  MeasureContext(const MeasureContext&) = delete;
  MeasureContext& operator=(const MeasureContext&) = delete;
  cairo_t* get() const { return cr_; }

 private:
  cairo_surface_t* surface_;
  cairo_t* cr_;
};

}  // namespace recur::viz
