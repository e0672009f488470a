#include "recur/viz/figure.h"

#include <cairo-svg.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>

#include "recur/core/error.h"

namespace recur::viz {
namespace {

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void draw_on(cairo_surface_t* surface, const Figure& figure) {
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  if (figure.draw) figure.draw(cr);
  const cairo_status_t status = cairo_status(cr);
  cairo_destroy(cr);
  if (status != CAIRO_STATUS_SUCCESS) {
    throw Error(std::string("viz: drawing failed: ") + cairo_status_to_string(status));
  }
}

}  // namespace

Format format_of(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (ext == ".png") return Format::kPng;
  if (ext == ".svg") return Format::kSvg;
  throw Error("viz: " + path.string() + ": unknown picture format '" + ext +
              "' (expected .png or .svg)");
}

std::string render(const Figure& figure, Format format) {
  const int width = static_cast<int>(std::ceil(figure.width));
  const int height = static_cast<int>(std::ceil(figure.height));
  if (width <= 0 || height <= 0 || width > 32767 || height > 32767) {
    throw Error("viz: figure size " + std::to_string(width) + "x" + std::to_string(height) +
                " is out of range");
  }
  std::string bytes;
  cairo_surface_t* surface =
      format == Format::kPng ? cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height)
                             : cairo_svg_surface_create_for_stream(&append, &bytes, width, height);
  if (format == Format::kSvg) cairo_svg_surface_restrict_to_version(surface, CAIRO_SVG_VERSION_1_1);
  try {
    draw_on(surface, figure);
  } catch (...) {
    cairo_surface_destroy(surface);
    throw;
  }
  cairo_status_t status = CAIRO_STATUS_SUCCESS;
  if (format == Format::kPng) {
    status = cairo_surface_write_to_png_stream(surface, &append, &bytes);
  } else {
    cairo_surface_finish(surface);
    status = cairo_surface_status(surface);
  }
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    throw Error(std::string("viz: cannot encode the figure: ") + cairo_status_to_string(status));
  }
  return bytes;
}

void save(const Figure& figure, const std::filesystem::path& path) {
  const std::string bytes = render(figure, format_of(path));
  std::filesystem::path partial = path;
  partial += ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) throw IoError("cannot write " + partial.string());
  }
  std::error_code ec;
  std::filesystem::rename(partial, path, ec);
  if (ec)
    throw IoError("cannot rename " + partial.string() + " to " + path.string() + ": " +
                  ec.message());
}

MeasureContext::MeasureContext()
    : surface_(cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1)), cr_(cairo_create(surface_)) {}

MeasureContext::~MeasureContext() {
  cairo_destroy(cr_);
  cairo_surface_destroy(surface_);
}

}  // namespace recur::viz
