// The opencv preprocessor's settings as a pipeline YAML gives them, check()'s rules, and
// the plugin loaded the way the pipeline loads it.
#include "image_settings.h"

#include <gtest/gtest.h>


#include "plugins/opencv/png_bytes.h"
#include "recur/config/section.h"
#include "recur/core/error.h"
#include "recur/plugin/host.h"
#include "recur/plugin/registry.h"

namespace recur::plugins {
namespace {

ImageSettings parse(const std::string& body) {
  return parse_image_settings(
      config::load_string("preprocessor:\n" + body, "pipeline.yaml", "/m").section("preprocessor"));
}

std::string config_error(const std::string& body) {
  try {
    parse(body);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(OpenCvSettings, Defaults) {
  const ImageSettings s = parse("  {}\n");
  EXPECT_EQ(s.height, 128);
  EXPECT_EQ(s.width, 128);
  EXPECT_EQ(s.channels, 3);
  EXPECT_EQ(s.interpolation, Interpolation::kArea);
  EXPECT_EQ(s.mean, std::vector<float>{0.5f});
  EXPECT_EQ(s.std, std::vector<float>{0.5f});
  EXPECT_EQ(s.background, (std::array<std::int64_t, 3>{255, 255, 255}));
  EXPECT_EQ(s.max_pixels, 4096 * 4096);
  EXPECT_FALSE(check(ImageSettings{}));
}

TEST(OpenCvSettings, ReadsEveryKey) {
  const ImageSettings s = parse(
      "  size: [32, 48]\n  channels: 1\n  interpolation: cubic\n  mean: [0.4]\n  std: [0.2]\n"
      "  background: [0, 10, 20]\n  max_pixels: 1000\n");
  EXPECT_EQ(s.height, 32);
  EXPECT_EQ(s.width, 48);
  EXPECT_EQ(s.channels, 1);
  EXPECT_EQ(s.interpolation, Interpolation::kCubic);
  EXPECT_EQ(s.mean, std::vector<float>{0.4f});
  EXPECT_EQ(s.std, std::vector<float>{0.2f});
  EXPECT_EQ(s.background, (std::array<std::int64_t, 3>{0, 10, 20}));
  EXPECT_EQ(s.max_pixels, 1000);
  const ImageSettings square = parse("  size: 64\n  interpolation: nearest\n");
  EXPECT_EQ(square.height, 64);
  EXPECT_EQ(square.width, 64);
  EXPECT_EQ(square.interpolation, Interpolation::kNearest);
}

TEST(OpenCvSettings, ErrorsNameFileLineAndKey) {
  const auto expect = [](const std::string& body, const std::string& where) {
    const std::string m = config_error(body);
    EXPECT_NE(m.find(where), std::string::npos) << body << " -> " << m;
  };
  expect("  size: 0\n", "pipeline.yaml:2:9: preprocessor.size");
  expect("  size: [1, 2, 3]\n", "pipeline.yaml:2:9: preprocessor.size");
  expect("  size: [64, 0]\n", "pipeline.yaml:2:9: preprocessor.size");
  expect("  size: big\n", "preprocessor.size");
  expect("  channels: 2\n", "pipeline.yaml:2:13: preprocessor.channels");
  expect("  interpolation: lanczos\n", "preprocessor.interpolation");
  expect("  mean: [0.5, 0.5]\n", "pipeline.yaml:2:9: preprocessor.mean");
  expect("  std: [0.5, 0, 0.5]\n", "preprocessor.std");
  expect("  background: [255, 255]\n", "preprocessor.background");
  expect("  background: [255, 256, 0]\n", "preprocessor.background");
  expect("  max_pixels: 0\n", "preprocessor.max_pixels");
  expect("  colour: rgb\n", "colour");
}

TEST(OpenCvSettings, CheckNamesTheKey) {
  ImageSettings s;
  s.channels = 1;
  s.mean = {0.1f, 0.2f, 0.3f};
  ASSERT_TRUE(check(s));
  EXPECT_EQ(check(s)->key, "mean");
  s = ImageSettings{};
  s.max_pixels = kMaxPixelsLimit + 1;
  EXPECT_EQ(check(s)->key, "max_pixels");
}

TEST(OpenCvPlugin, RegistersThePreprocessor) {
  PluginHost host;
  host.load_file(std::filesystem::path(RECUR_BUILD_PLUGIN_DIR) / "librecur_preprocessor_opencv.so");
  EXPECT_EQ(host.registry().names("preprocessor"), std::vector<std::string>{"opencv"});
  const config::Section section =
      config::load_string("preprocessor:\n  size: [4, 6]\n  channels: 1\n", "p.yaml", "/m")
          .section("preprocessor");
  auto preprocessor = host.registry().create<Preprocessor>("opencv", section, BuildContext{});
  // A 1x1 white grey PNG, stretched to 4 x 6.
  const std::vector<std::byte> bytes = testing::as_bytes(testing::make_png(1, 1, 8, 0, {{255}}));
  const Tensor t = preprocessor->decode(bytes, "one.png");
  EXPECT_EQ(t.shape(), (Shape{1, 4, 6}));
  EXPECT_NEAR(t.item(0), 1.0f, 1e-5f);  // white: (255 / 255 - 0.5) / 0.5
}

}  // namespace
}  // namespace recur::plugins
