// Pixel values after decoding, compositing, colour conversion, resizing and
// normalisation, on small images made at test time (cv::imencode, or by hand for the PNG
// colour types OpenCV does not write).
#include "opencv_preprocessor.h"

#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "framework/nn/temp_dir.h"
#include "plugins/opencv/png_bytes.h"

namespace recur::plugins {
namespace {

using testing::as_bytes;
using testing::make_png;

constexpr float kTolerance = 1e-5f;

// With the default mean and std of 0.5: (v / 255 - 0.5) / 0.5.
float unit(float v) { return v / 127.5f - 1.0f; }

ImageSettings sized(std::int64_t height, std::int64_t width) {
  ImageSettings s;
  s.height = height;
  s.width = width;
  return s;
}

std::vector<std::byte> encode(const std::string& ext, const cv::Mat& image,
                              const std::vector<int>& params = {}) {
  std::vector<std::uint8_t> out;
  EXPECT_TRUE(cv::imencode(ext, image, out, params));
  return as_bytes(out);
}

void expect_values(const Tensor& t, const Shape& shape, const std::vector<float>& want,
                   float tolerance = kTolerance) {
  ASSERT_EQ(t.shape(), shape);
  const std::vector<float> got = t.to_vector();
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], tolerance) << i;
}

TEST(OpenCvPreprocessor, CompositesRgbaOntoWhiteAndOutputsRgbPlanes) {
  // 2x2 BGRA: opaque red, transparent blue, half-transparent red (alpha 128), opaque grey.
  cv::Mat bgra(2, 2, CV_8UC4);
  bgra.at<cv::Vec4b>(0, 0) = {0, 0, 255, 255};
  bgra.at<cv::Vec4b>(0, 1) = {255, 0, 0, 0};
  bgra.at<cv::Vec4b>(1, 0) = {0, 0, 255, 128};
  bgra.at<cv::Vec4b>(1, 1) = {60, 60, 60, 255};
  const Tensor t = OpenCvPreprocessor(sized(2, 2)).decode(encode(".png", bgra), "rgba.png");
  const float half = 255.0f * (1.0f - 128.0f / 255.0f);  // white * (1 - a) over a 0 sample
  expect_values(t, {3, 2, 2},
                {unit(255), unit(255), unit(255), unit(60),     // R
                 unit(0), unit(255), unit(half), unit(60),      // G
                 unit(0), unit(255), unit(half), unit(60)});    // B
}

TEST(OpenCvPreprocessor, UsesTheBackgroundMeanAndStdGiven) {
  cv::Mat bgra(1, 2, CV_8UC4);
  bgra.at<cv::Vec4b>(0, 0) = {0, 0, 0, 0};          // transparent: the background
  bgra.at<cv::Vec4b>(0, 1) = {51, 102, 204, 255};   // opaque R 204, G 102, B 51
  ImageSettings s = sized(1, 2);
  s.background = {255, 0, 102};
  s.mean = {0.485f, 0.456f, 0.406f};
  s.std = {0.229f, 0.224f, 0.225f};
  const Tensor t = OpenCvPreprocessor(s).decode(encode(".png", bgra), "x.png");
  const auto n = [&](float v, int c) { return (v / 255.0f - s.mean[c]) / s.std[c]; };
  expect_values(t, {3, 1, 2}, {n(255, 0), n(204, 0), n(0, 1), n(102, 1), n(102, 2), n(51, 2)});
}

TEST(OpenCvPreprocessor, GreyIsReplicatedForRgbAndKeptForOneChannel) {
  const cv::Mat grey = (cv::Mat_<std::uint8_t>(1, 3) << 0, 100, 255);
  const std::vector<std::byte> png = encode(".png", grey);
  expect_values(OpenCvPreprocessor(sized(1, 3)).decode(png, "g.png"), {3, 1, 3},
                {unit(0), unit(100), unit(255), unit(0), unit(100), unit(255), unit(0),
                 unit(100), unit(255)});
  ImageSettings one = sized(1, 3);
  one.channels = 1;
  expect_values(OpenCvPreprocessor(one).decode(png, "g.png"), {1, 1, 3},
                {unit(0), unit(100), unit(255)});
}

TEST(OpenCvPreprocessor, OneChannelFromColourIsLuma) {
  cv::Mat bgr(1, 1, CV_8UC3, cv::Scalar(30, 150, 200));  // B 30, G 150, R 200
  ImageSettings s = sized(1, 1);
  s.channels = 1;
  const Tensor t = OpenCvPreprocessor(s).decode(encode(".png", bgr), "c.png");
  expect_values(t, {1, 1, 1}, {unit(0.299f * 200 + 0.587f * 150 + 0.114f * 30)}, 1e-4f);
}

TEST(OpenCvPreprocessor, GreyWithAlphaIsComposited) {
  // Colour type 4: (grey, alpha) pairs. Background grey: 0.299 * 200 + 0.587 * 100 + ...
  const auto png = as_bytes(make_png(2, 1, 8, 4, {{90, 255, 90, 0}}));
  ImageSettings s = sized(1, 2);
  s.background = {200, 100, 50};
  s.channels = 1;
  const float bg = 0.299f * 200 + 0.587f * 100 + 0.114f * 50;
  expect_values(OpenCvPreprocessor(s).decode(png, "ga.png"), {1, 1, 2}, {unit(90), unit(bg)},
                1e-4f);
  // As RGB (libpng expands grey+alpha to RGBA), over the default white.
  expect_values(OpenCvPreprocessor(sized(1, 2)).decode(png, "ga.png"), {3, 1, 2},
                {unit(90), unit(255), unit(90), unit(255), unit(90), unit(255)});
}

TEST(OpenCvPreprocessor, PaletteWithTransparencyIsExpandedAndComposited) {
  // Colour type 3, 2-bit indices: palette red, green, blue; tRNS: red opaque, green clear.
  const std::vector<std::pair<std::string, std::vector<std::uint8_t>>> chunks = {
      {"PLTE", {255, 0, 0, 0, 255, 0, 0, 0, 255}}, {"tRNS", {255, 0}}};
  // Indices 0, 1, 2 packed 2 bits each, high bits first: 00 01 10 00.
  const auto png = as_bytes(make_png(3, 1, 2, 3, {{0x18}}, chunks));
  ImageSettings s = sized(1, 3);
  s.background = {0, 0, 0};
  expect_values(OpenCvPreprocessor(s).decode(png, "p.png"), {3, 1, 3},
                {unit(255), unit(0), unit(0), unit(0), unit(0), unit(0), unit(0), unit(0),
                 unit(255)});
}

TEST(OpenCvPreprocessor, SixteenBitSamplesScaleTo255) {
  cv::Mat bgr16(1, 2, CV_16UC3);
  bgr16.at<cv::Vec3w>(0, 0) = {0, 257 * 100, 65535};
  bgr16.at<cv::Vec3w>(0, 1) = {65535, 65535, 65535};
  const Tensor t = OpenCvPreprocessor(sized(1, 2)).decode(encode(".png", bgr16), "16.png");
  expect_values(t, {3, 1, 2}, {unit(255), unit(255), unit(100), unit(255), unit(0), unit(255)},
                1e-4f);
}

TEST(OpenCvPreprocessor, DecodesJpegBmpAndWebp) {
  const cv::Mat bgr(8, 8, CV_8UC3, cv::Scalar(40, 120, 200));
  const std::vector<float> want = [] {
    std::vector<float> v;
    for (float c : {200.0f, 120.0f, 40.0f}) v.insert(v.end(), 64, unit(c));
    return v;
  }();
  const OpenCvPreprocessor p(sized(8, 8));
  expect_values(p.decode(encode(".bmp", bgr), "a.bmp"), {3, 8, 8}, want);
  expect_values(p.decode(encode(".webp", bgr, {cv::IMWRITE_WEBP_QUALITY, 101}), "a.webp"),
                {3, 8, 8}, want);
  // Lossy: a flat colour survives within a few levels.
  expect_values(p.decode(encode(".jpg", bgr, {cv::IMWRITE_JPEG_QUALITY, 95}), "a.jpg"),
                {3, 8, 8}, want, 4.0f / 127.5f);
  expect_values(p.decode(encode(".webp", bgr, {cv::IMWRITE_WEBP_QUALITY, 90}), "b.webp"),
                {3, 8, 8}, want, 4.0f / 127.5f);
}

TEST(OpenCvPreprocessor, ResizesToTheConfiguredSize) {
  const cv::Mat bgr(6, 10, CV_8UC3, cv::Scalar(0, 0, 255));
  const std::vector<std::byte> png = encode(".png", bgr);
  EXPECT_EQ(OpenCvPreprocessor(sized(3, 4)).decode(png, "r.png").shape(), (Shape{3, 3, 4}));
  for (Interpolation i : {Interpolation::kArea, Interpolation::kLinear, Interpolation::kCubic,
                          Interpolation::kNearest}) {
    ImageSettings s = sized(5, 5);
    s.interpolation = i;
    const Tensor t = OpenCvPreprocessor(s).decode(png, "r.png");
    ASSERT_EQ(t.shape(), (Shape{3, 5, 5}));
    EXPECT_NEAR(t.item(0), unit(255), 1e-4f);   // R plane: a flat image stays flat
    EXPECT_NEAR(t.item(25), unit(0), 1e-4f);    // G plane
  }
  // Area averages 2x2 blocks when halving.
  const cv::Mat stripes = (cv::Mat_<std::uint8_t>(2, 4) << 0, 100, 200, 200, 0, 100, 200, 200);
  ImageSettings half = sized(1, 2);
  half.channels = 1;
  expect_values(OpenCvPreprocessor(half).decode(encode(".png", stripes), "s.png"), {1, 1, 2},
                {unit(50), unit(200)}, 1e-4f);
}

TEST(OpenCvPreprocessor, LoadReadsTheFileDecodeWouldGet) {
  testing::TempDir dir;
  const cv::Mat bgr(3, 2, CV_8UC3, cv::Scalar(1, 2, 3));
  const std::vector<std::byte> png = encode(".png", bgr);
  testing::write_bytes(dir / "a.png", png);
  const OpenCvPreprocessor p(sized(3, 2));
  EXPECT_EQ(p.load(dir / "a.png").to_vector(), p.decode(png, "a.png").to_vector());
}

}  // namespace
}  // namespace recur::plugins
