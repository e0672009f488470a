// Files that are no usable image: each is an IoError naming the file and the problem,
// never a crash and never a large allocation.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "framework/nn/temp_dir.h"
#include "opencv_preprocessor.h"
#include "plugins/opencv/png_bytes.h"
#include "recur/core/error.h"

namespace recur::plugins {
namespace {

namespace fs = std::filesystem;
using testing::as_bytes;

class OpenCvErrors : public ::testing::Test {
 protected:
  // The IoError message of loading `file` (empty if it loaded).
  std::string load_error(const fs::path& file, const ImageSettings& settings = {}) {
    try {
      OpenCvPreprocessor(settings).load(file);
    } catch (const IoError& e) {
      return e.what();
    }
    return "";
  }

  fs::path write(const std::string& name, const std::vector<std::byte>& bytes) {
    testing::write_bytes(dir_ / name, bytes);
    return dir_ / name;
  }

  std::vector<std::byte> small_png() const {
    std::vector<std::uint8_t> out;
    EXPECT_TRUE(cv::imencode(".png", cv::Mat(16, 16, CV_8UC3, cv::Scalar(1, 2, 3)), out));
    return as_bytes(out);
  }

  testing::TempDir dir_;
};

// The message starts with the file's path and contains `problem`.
void expect_names(const std::string& message, const fs::path& file, const std::string& problem) {
  EXPECT_EQ(message.rfind(file.string() + ": ", 0), 0u) << message;
  EXPECT_NE(message.find(problem), std::string::npos) << message;
}

TEST_F(OpenCvErrors, MissingFileOrDirectory) {
  expect_names(load_error(dir_ / "nope.png"), dir_ / "nope.png", "cannot open");
  fs::create_directory(dir_ / "d.png");
  expect_names(load_error(dir_ / "d.png"), dir_ / "d.png", "is a directory");
}

TEST_F(OpenCvErrors, EmptyFile) {
  const fs::path f = write("empty.png", {});
  expect_names(load_error(f), f, "empty file");
}

TEST_F(OpenCvErrors, TextFileNamedPng) {
  const fs::path f = dir_ / "notes.png";
  std::ofstream(f) << "these are not pixels\n";
  expect_names(load_error(f), f, "not a PNG, JPEG, BMP or WebP image");
}

TEST_F(OpenCvErrors, TruncatedPng) {
  std::vector<std::byte> png = small_png();
  png.resize(png.size() / 2);
  const fs::path f = write("half.png", png);
  expect_names(load_error(f), f, "cannot decode the PNG image of 16 x 16 = 256 pixels");
  // Cut inside the IHDR chunk: the header check refuses it.
  png.resize(20);
  const fs::path g = write("head.png", png);
  expect_names(load_error(g), g, "PNG image truncated in its header");
}

TEST_F(OpenCvErrors, CorruptDataAfterAValidHeader) {
  std::vector<std::byte> jpeg(200, std::byte{0x5A});
  const std::vector<std::uint8_t> head = {0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00,
                                          0x10, 0x00, 0x10, 0x01, 0x01, 0x11, 0x00};
  std::copy(head.begin(), head.end(), reinterpret_cast<std::uint8_t*>(jpeg.data()));
  const fs::path f = write("bad.jpg", jpeg);
  expect_names(load_error(f), f, "cannot decode the JPEG image");
}

TEST_F(OpenCvErrors, HugeDeclaredSizeIsRefusedBeforeDecoding) {
  // Signature + IHDR (valid CRC) declaring 30000 x 30000 RGBA: 3.6 GB if decoded.
  const fs::path f = write("huge.png", as_bytes(testing::png_header(30000, 30000)));
  const auto start = std::chrono::steady_clock::now();
  expect_names(load_error(f), f, "30000 x 30000 = 900000000 pixels, more than max_pixels 16777216");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200));
  // A smaller max_pixels refuses a real image.
  ImageSettings s;
  s.max_pixels = 255;
  const fs::path g = write("small.png", small_png());
  expect_names(load_error(g, s), g, "16 x 16 = 256 pixels, more than max_pixels 255");
}

TEST_F(OpenCvErrors, ZeroSize) {
  const fs::path f = write("zero.png", as_bytes(testing::png_header(0, 0)));
  expect_names(load_error(f), f, "declares a size of 0 x 0");
}

TEST_F(OpenCvErrors, FileLargerThanAnImageOfMaxPixelsIsNotRead) {
  ImageSettings s;
  s.max_pixels = 1;
  const fs::path f = dir_ / "big.png";
  {
    std::ofstream out(f, std::ios::binary);
    out.seekp(max_encoded_bytes(s));  // a sparse file one byte over the bound
    out.put('x');
  }
  expect_names(load_error(f, s), f, "bytes, more than the");
}

TEST_F(OpenCvErrors, DecodeNamesTheGivenName) {
  try {
    OpenCvPreprocessor(ImageSettings{}).decode(as_bytes({'G', 'I', 'F', '8'}), "upload #3");
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("upload #3: not a PNG", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace recur::plugins
