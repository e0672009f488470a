// Figures render to PNG deterministically and match a golden image within a tolerance; SVG
// carries the text as glyph outlines.
#include "recur/viz/figure.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "recur/core/error.h"
#include "recur/viz/heatmap.h"

namespace recur::viz {
namespace {

namespace fs = std::filesystem;

HeatmapSpec small_spec() {
  HeatmapSpec spec;
  spec.title = "golden: é 日本";
  spec.row_title = "target";
  spec.column_title = "source";
  spec.row_labels = {"▁le", "▁chat", "</s>"};
  spec.column_labels = {"▁the", "▁cat", "日本", "</s>"};
  spec.values = {{0.9f, 0.05f, 0.03f, 0.02f}, {0.1f, 0.8f, 0.05f, 0.05f}, {0, 0.1f, 0.2f, 0.7f}};
  return spec;
}

struct Pixels {
  int width = 0, height = 0;
  std::vector<std::uint32_t> argb;
};

cairo_status_t read_from(void* closure, unsigned char* data, unsigned int length) {
  auto* in = static_cast<std::string_view*>(closure);
  if (in->size() < length) return CAIRO_STATUS_READ_ERROR;
  std::copy(in->begin(), in->begin() + length, data);
  in->remove_prefix(length);
  return CAIRO_STATUS_SUCCESS;
}

Pixels decode(const std::string& png) {
  std::string_view in(png);
  cairo_surface_t* s = cairo_image_surface_create_from_png_stream(&read_from, &in);
  EXPECT_EQ(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
  Pixels p{cairo_image_surface_get_width(s), cairo_image_surface_get_height(s), {}};
  const int stride = cairo_image_surface_get_stride(s);
  const unsigned char* data = cairo_image_surface_get_data(s);
  for (int y = 0; y < p.height; ++y) {
    const auto* row = reinterpret_cast<const std::uint32_t*>(data + y * stride);
    p.argb.insert(p.argb.end(), row, row + p.width);
  }
  cairo_surface_destroy(s);
  return p;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(Figure, PngIsDeterministic) {
  const Figure figure = heatmap_figure(small_spec());
  const std::string a = render(figure, Format::kPng);
  EXPECT_EQ(a.substr(1, 3), "PNG");
  EXPECT_EQ(a, render(heatmap_figure(small_spec()), Format::kPng));
}

// The golden image was made by this test with RECUR_UPDATE_GOLDEN=1. Font versions or
// FreeType may move a few anti-aliased edge pixels: at most 1% of the pixels may differ
// by more than 48 in a channel, and the mean difference stays under 2 (of 255).
TEST(Figure, PngMatchesTheGoldenImage) {
  const fs::path golden = fs::path(RECUR_TEST_DATA_DIR) / "viz" / "heatmap_golden.png";
  const std::string png = render(heatmap_figure(small_spec()), Format::kPng);
  if (std::getenv("RECUR_UPDATE_GOLDEN")) {
    std::ofstream(golden, std::ios::binary) << png;
  }
  const Pixels expected = decode(read_file(golden));
  const Pixels actual = decode(png);
  ASSERT_EQ(actual.width, expected.width);
  ASSERT_EQ(actual.height, expected.height);
  std::size_t far = 0;
  double total = 0;
  for (std::size_t i = 0; i < actual.argb.size(); ++i) {
    int worst = 0;
    for (int shift : {0, 8, 16}) {
      const int d = std::abs(static_cast<int>((actual.argb[i] >> shift) & 0xff) -
                             static_cast<int>((expected.argb[i] >> shift) & 0xff));
      worst = std::max(worst, d);
      total += d / 3.0;
    }
    far += worst > 48;
  }
  EXPECT_LT(static_cast<double>(far) / actual.argb.size(), 0.01);
  EXPECT_LT(total / actual.argb.size(), 2.0);
}

TEST(Figure, SvgHasTheSizeAndGlyphOutlines) {
  const Figure figure = heatmap_figure(small_spec());
  const std::string svg = render(figure, Format::kSvg);
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("glyph"), std::string::npos);
  EXPECT_EQ(figure.hotspots.size(), 12u);
  EXPECT_NE(figure.hotspots[5].text.find("▁chat"), std::string::npos);
  EXPECT_NE(figure.hotspots[5].text.find("0.800"), std::string::npos);
}

TEST(Figure, FormatComesFromTheExtension) {
  EXPECT_EQ(format_of("a/b.PNG"), Format::kPng);
  EXPECT_EQ(format_of("b.svg"), Format::kSvg);
  EXPECT_THROW(format_of("b.jpg"), Error);
}

TEST(Figure, HeatmapRefusesValuesOfTheWrongShape) {
  HeatmapSpec spec = small_spec();
  spec.values[1].pop_back();
  EXPECT_THROW(heatmap_figure(spec), ShapeError);
}

TEST(Figure, AHundredByHundredMatrixStaysReadable) {
  HeatmapSpec spec;
  for (int i = 0; i < 100; ++i) {
    spec.row_labels.push_back("t" + std::to_string(i));
    spec.column_labels.push_back("s" + std::to_string(i));
  }
  spec.values.assign(100, std::vector<float>(100, 0.01f));
  const Figure figure = heatmap_figure(spec);
  EXPECT_LT(figure.width, 1400);
  EXPECT_GE(figure.hotspots[1].rect.width, 10);  // a cell
}

TEST(Figure, SaveWritesTheFileAtomically) {
  const fs::path dir = fs::temp_directory_path() / ("recur_viz_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  save(heatmap_figure(small_spec()), dir / "a.svg");
  EXPECT_TRUE(fs::exists(dir / "a.svg"));
  EXPECT_FALSE(fs::exists(dir / "a.svg.partial"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace recur::viz
