#include "recur/viz/image_overlay.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "recur/core/error.h"
#include "recur/viz/colour_map.h"

namespace recur::viz {
namespace {

SurfacePtr new_surface(int width, int height) {
  return SurfacePtr(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height),
                    &cairo_surface_destroy);
}

// 8-bit BGR of any decoded image: grey expanded, 16-bit scaled, and transparent pixels
// composited onto white (the opencv preprocessor's default background), so the picture
// shows what a captioning model saw rather than the colours hidden under alpha 0.
cv::Mat on_white(const cv::Mat& image) {
  if (image.empty()) return image;
  cv::Mat eight;
  if (image.depth() == CV_16U) {
    image.convertTo(eight, CV_8U, 1.0 / 257.0);
  } else {
    eight = image;
  }
  if (eight.channels() == 3) return eight;
  if (eight.channels() == 1) {
    cv::Mat bgr;
    cv::cvtColor(eight, bgr, cv::COLOR_GRAY2BGR);
    return bgr;
  }
  cv::Mat bgra;
  if (eight.channels() == 2) {  // grey + alpha
    std::vector<cv::Mat> ga;
    cv::split(eight, ga);
    cv::merge(std::vector<cv::Mat>{ga[0], ga[0], ga[0], ga[1]}, bgra);
  } else {
    bgra = eight;
  }
  cv::Mat bgr(bgra.rows, bgra.cols, CV_8UC3);
  for (int y = 0; y < bgra.rows; ++y) {
    const cv::Vec4b* in = bgra.ptr<cv::Vec4b>(y);
    cv::Vec3b* out = bgr.ptr<cv::Vec3b>(y);
    for (int x = 0; x < bgra.cols; ++x) {
      const int a = in[x][3];
      for (int c = 0; c < 3; ++c) {
        out[x][c] = static_cast<unsigned char>((in[x][c] * a + 255 * (255 - a) + 127) / 255);
      }
    }
  }
  return bgr;
}

}  // namespace

SurfacePtr load_image(const std::filesystem::path& path, int longer_side) {
  if (!std::filesystem::is_regular_file(path)) {
    throw IoError("cannot read the image " + path.string() + " (no such file)");
  }
  cv::Mat bgr;
  try {
    bgr = on_white(cv::imread(path.string(), cv::IMREAD_UNCHANGED));
  } catch (const cv::Exception& e) {
    throw IoError("cannot read the image " + path.string() + ": " + e.what());
  }
  if (bgr.empty()) {
    throw IoError("cannot read the image " + path.string() + " (not an image OpenCV can decode)");
  }
  const double scale = static_cast<double>(longer_side) / std::max(bgr.cols, bgr.rows);
  const int width = std::max(1, static_cast<int>(std::lround(bgr.cols * scale)));
  const int height = std::max(1, static_cast<int>(std::lround(bgr.rows * scale)));
  cv::Mat resized;
  // Small images (emoji, fixtures) are enlarged with nearest neighbours: their pixels stay
  // sharp; larger ones are resampled by area or linearly.
  const int interpolation = scale >= 2  ? cv::INTER_NEAREST
                            : scale < 1 ? cv::INTER_AREA
                                        : cv::INTER_LINEAR;
  cv::resize(bgr, resized, cv::Size(width, height), 0, 0, interpolation);
  SurfacePtr surface = new_surface(width, height);
  cairo_surface_flush(surface.get());
  unsigned char* data = cairo_image_surface_get_data(surface.get());
  const int stride = cairo_image_surface_get_stride(surface.get());
  for (int y = 0; y < height; ++y) {
    auto* row = reinterpret_cast<std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
    const cv::Vec3b* src = resized.ptr<cv::Vec3b>(y);
    for (int x = 0; x < width; ++x) {
      row[x] = 0xff000000u | (std::uint32_t{src[x][2]} << 16) | (std::uint32_t{src[x][1]} << 8) |
               src[x][0];
    }
  }
  cairo_surface_mark_dirty(surface.get());
  return surface;
}

SurfacePtr overlay_attention(cairo_surface_t* image, const std::vector<float>& weights, int grid_h,
                             int grid_w, double min_alpha, double max_alpha) {
  if (grid_h <= 0 || grid_w <= 0 || weights.size() != static_cast<std::size_t>(grid_h) * grid_w) {
    throw ShapeError("viz: attention of " + std::to_string(weights.size()) + " weights for a " +
                     std::to_string(grid_h) + "x" + std::to_string(grid_w) + " grid");
  }
  const int width = cairo_image_surface_get_width(image);
  const int height = cairo_image_surface_get_height(image);
  cv::Mat grid(grid_h, grid_w, CV_32F, const_cast<float*>(weights.data()));
  double max = 0;
  cv::minMaxLoc(grid, nullptr, &max);
  cv::Mat scaled = grid / (max > 0 ? max : 1.0);
  cv::Mat up;
  // Bilinear with pixel centres aligned: each grid cell covers its share of the image.
  cv::resize(scaled, up, cv::Size(width, height), 0, 0, cv::INTER_LINEAR);

  SurfacePtr out = new_surface(width, height);
  cairo_surface_flush(image);
  cairo_surface_flush(out.get());
  const unsigned char* src = cairo_image_surface_get_data(image);
  unsigned char* dst = cairo_image_surface_get_data(out.get());
  const int src_stride = cairo_image_surface_get_stride(image);
  const int dst_stride = cairo_image_surface_get_stride(out.get());
  for (int y = 0; y < height; ++y) {
    const auto* in =
        reinterpret_cast<const std::uint32_t*>(src + static_cast<std::ptrdiff_t>(y) * src_stride);
    auto* o = reinterpret_cast<std::uint32_t*>(dst + static_cast<std::ptrdiff_t>(y) * dst_stride);
    const float* w = up.ptr<float>(y);
    for (int x = 0; x < width; ++x) {
      const Rgb c = viridis(w[x]);
      const double alpha = min_alpha + (max_alpha - min_alpha) * std::clamp(w[x], 0.0f, 1.0f);
      auto blend = [&](int shift, double colour) {
        const double base = ((in[x] >> shift) & 0xff) / 255.0;
        return static_cast<std::uint32_t>(std::lround(255 * (base * (1 - alpha) + colour * alpha)));
      };
      o[x] = 0xff000000u | (blend(16, c.r) << 16) | (blend(8, c.g) << 8) | blend(0, c.b);
    }
  }
  cairo_surface_mark_dirty(out.get());
  return out;
}

}  // namespace recur::viz
