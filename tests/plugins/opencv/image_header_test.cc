// Dimensions read from the headers of each format, and headers that are refused.
#include "image_header.h"

#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "plugins/opencv/png_bytes.h"
#include "recur/core/error.h"

namespace recur::plugins {
namespace {

using testing::as_bytes;

std::vector<std::byte> encode(const std::string& ext, int width, int height,
                              const std::vector<int>& params = {}) {
  const cv::Mat image(height, width, CV_8UC3, cv::Scalar(10, 20, 30));
  std::vector<std::uint8_t> out;
  EXPECT_TRUE(cv::imencode(ext, image, out, params));
  return as_bytes(out);
}

std::string error_of(const std::vector<std::byte>& bytes) {
  try {
    read_image_header(bytes, "img.bin");
  } catch (const IoError& e) {
    return e.what();
  }
  return "";
}

void expect_header(const std::vector<std::byte>& bytes, ImageFormat format, std::int64_t width,
                   std::int64_t height) {
  const ImageHeader h = read_image_header(bytes, "img");
  EXPECT_EQ(h.format, format) << format_name(h.format);
  EXPECT_EQ(h.width, width);
  EXPECT_EQ(h.height, height);
}

TEST(OpenCvImageHeader, ReadsTheSizeOfEachFormatOpenCvWrites) {
  expect_header(encode(".png", 7, 5), ImageFormat::kPng, 7, 5);
  expect_header(encode(".jpg", 7, 5), ImageFormat::kJpeg, 7, 5);
  expect_header(encode(".jpg", 9, 4, {cv::IMWRITE_JPEG_PROGRESSIVE, 1}), ImageFormat::kJpeg, 9, 4);
  expect_header(encode(".bmp", 7, 5), ImageFormat::kBmp, 7, 5);
  expect_header(encode(".webp", 7, 5, {cv::IMWRITE_WEBP_QUALITY, 80}), ImageFormat::kWebp, 7, 5);
  expect_header(encode(".webp", 7, 5, {cv::IMWRITE_WEBP_QUALITY, 101}), ImageFormat::kWebp, 7, 5);
}

TEST(OpenCvImageHeader, ReadsCraftedHeaders) {
  expect_header(as_bytes(testing::png_header(30000, 30000)), ImageFormat::kPng, 30000, 30000);
  // JPEG: SOI, an APP0 segment with fill bytes before the next marker, SOF2 (progressive).
  expect_header(as_bytes({0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0xAA, 0xBB, 0xFF, 0xFF, 0xC2,
                          0x00, 0x0B, 0x08, 0x01, 0x2C, 0x02, 0x58, 0x01}),
                ImageFormat::kJpeg, 600, 300);
  // BMP with a BITMAPINFOHEADER and a negative (top-down) height.
  std::vector<std::uint8_t> bmp(54, 0);
  bmp[0] = 'B', bmp[1] = 'M', bmp[14] = 40;
  bmp[18] = 0x20, bmp[19] = 0x03;                           // width 800
  bmp[22] = 0x38, bmp[23] = 0xFF, bmp[24] = bmp[25] = 0xFF;  // height -200
  expect_header(as_bytes(bmp), ImageFormat::kBmp, 800, 200);
  // WebP VP8X: canvas 20000 x 3 (stored minus one, 24-bit little-endian).
  std::vector<std::uint8_t> webp = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P',
                                    'V', 'P', '8', 'X', 10, 0, 0, 0, 0, 0, 0, 0,
                                    0x1F, 0x4E, 0x00, 0x02, 0x00, 0x00};
  expect_header(as_bytes(webp), ImageFormat::kWebp, 20000, 3);
}

TEST(OpenCvImageHeader, RefusesWhatIsNoImageNamingIt) {
  EXPECT_NE(error_of({}).find("img.bin: empty"), std::string::npos);
  EXPECT_NE(error_of(as_bytes({'h', 'e', 'l', 'l', 'o'})).find("img.bin: not a PNG, JPEG"),
            std::string::npos);
  const std::vector<std::uint8_t> png = testing::png_header(4, 4);
  const std::vector<std::uint8_t> cut(png.begin(), png.begin() + 12);
  EXPECT_NE(error_of(as_bytes(cut)).find("img.bin: PNG image truncated"), std::string::npos);
  std::vector<std::uint8_t> no_ihdr = testing::png_header(4, 4);
  no_ihdr[12] = 'X';
  EXPECT_NE(error_of(as_bytes(no_ihdr)).find("does not start with an IHDR"), std::string::npos);
  EXPECT_NE(error_of(as_bytes({'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P', 'V'}))
                .find("WebP image truncated"),
            std::string::npos);
  EXPECT_NE(error_of(as_bytes(testing::png_header(0, 4))).find("declares a size of 0 x 4"),
            std::string::npos);
  EXPECT_NE(error_of(as_bytes({0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02})).find("no frame header"),
            std::string::npos);
  EXPECT_NE(error_of(as_bytes({0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x40})).find("JPEG image truncated"),
            std::string::npos);
  std::vector<std::uint8_t> bmp(30, 0);
  bmp[0] = 'B', bmp[1] = 'M', bmp[14] = 20;
  EXPECT_NE(error_of(as_bytes(bmp)).find("unknown info header"), std::string::npos);
}

}  // namespace
}  // namespace recur::plugins
