// Image attention: the grid is upsampled over the image (the attended corner turns
// yellow), images load through OpenCV, and the figure has one panel per word.
#include "recur/viz/image_overlay.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <opencv2/imgcodecs.hpp>

#include "recur/core/error.h"
#include "recur/viz/plots.h"

namespace recur::viz {
namespace {

namespace fs = std::filesystem;

fs::path grey_image() {
  const fs::path path =
      fs::temp_directory_path() / ("recur_overlay_" + std::to_string(::getpid()) + ".png");
  cv::imwrite(path.string(), cv::Mat(40, 60, CV_8UC3, cv::Scalar(128, 128, 128)));
  return path;
}

std::uint32_t pixel(cairo_surface_t* s, int x, int y) {
  cairo_surface_flush(s);
  const unsigned char* row =
      cairo_image_surface_get_data(s) + y * cairo_image_surface_get_stride(s);
  return reinterpret_cast<const std::uint32_t*>(row)[x];
}

TEST(ImageOverlay, LoadsAndScalesAnImage) {
  const fs::path path = grey_image();
  SurfacePtr image = load_image(path, 120);
  EXPECT_EQ(cairo_image_surface_get_width(image.get()), 120);
  EXPECT_EQ(cairo_image_surface_get_height(image.get()), 80);
  EXPECT_EQ(pixel(image.get(), 10, 10) & 0xffffff, 0x808080u);
  fs::remove(path);
}

TEST(ImageOverlay, TheAttendedCellIsBrightest) {
  const fs::path path = grey_image();
  SurfacePtr image = load_image(path, 60);
  // A 2 x 3 grid attending to its bottom-right cell only.
  SurfacePtr out = overlay_attention(image.get(), {0, 0, 0, 0, 0, 1}, 2, 3);
  const std::uint32_t attended = pixel(out.get(), 55, 35), ignored = pixel(out.get(), 5, 5);
  // Viridis: 1 is yellow (high red and green), 0 dark purple, blended more lightly.
  EXPECT_GT((attended >> 16) & 0xff, 200u);
  EXPECT_GT((attended >> 8) & 0xff, 180u);
  EXPECT_LT((ignored >> 16) & 0xff, 120u);  // grey 128 darkened
  EXPECT_GT((ignored >> 16) & 0xff, 80u);   // but still showing
  EXPECT_THROW(overlay_attention(image.get(), {1, 2, 3}, 2, 3), ShapeError);
  fs::remove(path);
}

TEST(ImageOverlay, MissingImageIsNamed) {
  try {
    load_image("/nonexistent/x.png", 100);
    FAIL();
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/x.png (no such file)"), std::string::npos);
  }
}

TEST(ImageOverlay, OnePanelPerWord) {
  const fs::path path = grey_image();
  ImageAttention record{
      4, path.filename().string(),  2,
      3, {"red", "square", "</s>"}, {{1, 0, 0, 0, 0, 0}, {0, 1, 0, 0, 0, 0}, {0, 0, 0, 0, 0, 1}}};
  const Figure figure = image_attention_figure(record, path.parent_path());
  EXPECT_EQ(figure.hotspots.size(), 3u);
  EXPECT_NE(figure.hotspots[1].text.find("square"), std::string::npos);
  EXPECT_GT(render(figure, Format::kPng).size(), 100u);
  fs::remove(path);
}

}  // namespace
}  // namespace recur::viz
