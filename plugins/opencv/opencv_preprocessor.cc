// Decoding with OpenCV and the steps after it, in the order opencv_preprocessor.h lists.
// Pixels stay in OpenCV's BGR(A) order until the colour step turns them into RGB or grey.
#include "opencv_preprocessor.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <mutex>
#include <new>
#include <system_error>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "image_header.h"
#include "recur/core/error.h"

namespace recur::plugins {

namespace {

namespace fs = std::filesystem;

std::string pixels_str(std::int64_t width, std::int64_t height) {
  return std::to_string(width) + " x " + std::to_string(height) + " = " +
         std::to_string(width * height) + " pixels";
}

cv::Mat decode_mat(std::span<const std::byte> bytes, const ImageHeader& header,
                   const std::string& name) {
  // IMREAD_UNCHANGED keeps alpha and 16-bit depth but ignores EXIF orientation, which
  // only JPEGs carry in practice; they have no alpha, so they are read as colour.
  const int flags = header.format == ImageFormat::kJpeg ? cv::IMREAD_COLOR : cv::IMREAD_UNCHANGED;
  // imdecode only reads the buffer.
  const cv::Mat buffer(1, static_cast<int>(bytes.size()), CV_8U,
                       const_cast<std::byte*>(bytes.data()));
  const std::string what = std::string(format_name(header.format)) + " image";
  cv::Mat image;
  try {
    image = cv::imdecode(buffer, flags);
  } catch (const cv::Exception& e) {
    throw IoError(name + ": cannot decode the " + what + ": " + e.err);
  } catch (const std::bad_alloc&) {
    throw IoError(name + ": out of memory decoding the " + what + " of " +
                  pixels_str(header.width, header.height));
  }
  if (image.empty()) {
    throw IoError(name + ": cannot decode the " + what + " of " +
                  pixels_str(header.width, header.height) + " (corrupt or truncated data)");
  }
  return image;
}

// Samples as float in 0..255 (16-bit ones scaled by 1/257, so 65535 -> 255).
cv::Mat to_float(const cv::Mat& image, const std::string& name) {
  double scale = 1.0;
  if (image.depth() == CV_16U) {
    scale = 1.0 / 257.0;
  } else if (image.depth() != CV_8U) {
    throw IoError(name + ": unsupported sample type (OpenCV depth " +
                  std::to_string(image.depth()) + "); expected 8 or 16 bits");
  }
  cv::Mat out;
  image.convertTo(out, CV_32F, scale);
  return out;
}

float grey_of(const std::array<std::int64_t, 3>& rgb) {
  return static_cast<float>(0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]);
}

// Grey+alpha -> grey and BGRA -> BGR over the background; 1 and 3 channels unchanged.
cv::Mat composite(const cv::Mat& image, const std::array<std::int64_t, 3>& rgb) {
  const int cn = image.channels();
  if (cn != 2 && cn != 4) return image;
  std::vector<cv::Mat> planes;
  cv::split(image, planes);
  const cv::Mat alpha = planes.back() * (1.0 / 255.0);
  const cv::Mat rest = 1.0 - alpha;
  planes.pop_back();
  const std::vector<float> background =
      cn == 2 ? std::vector<float>{grey_of(rgb)}
              : std::vector<float>{static_cast<float>(rgb[2]), static_cast<float>(rgb[1]),
                                   static_cast<float>(rgb[0])};
  for (std::size_t c = 0; c < planes.size(); ++c) {
    planes[c] = planes[c].mul(alpha) + rest * background[c];
  }
  cv::Mat out;
  cv::merge(planes, out);
  return out;
}

// Grey or BGR -> `channels` (1: grey, 3: RGB).
cv::Mat to_channels(const cv::Mat& image, std::int64_t channels) {
  if (channels == 1 && image.channels() == 1) return image;
  cv::Mat out;
  const int code = channels == 1             ? cv::COLOR_BGR2GRAY
                   : image.channels() == 1 ? cv::COLOR_GRAY2RGB
                                           : cv::COLOR_BGR2RGB;
  cv::cvtColor(image, out, code);
  return out;
}

int cv_interpolation(Interpolation interpolation) {
  switch (interpolation) {
    case Interpolation::kArea: return cv::INTER_AREA;
    case Interpolation::kLinear: return cv::INTER_LINEAR;
    case Interpolation::kCubic: return cv::INTER_CUBIC;
    case Interpolation::kNearest: return cv::INTER_NEAREST;
  }
  return cv::INTER_AREA;
}

// HWC float 0..255 -> normalised CHW tensor.
Tensor to_tensor(const cv::Mat& image, const ImageSettings& s) {
  const std::int64_t channels = s.channels, height = image.rows, width = image.cols;
  Tensor out = Tensor::empty({channels, height, width});
  float* data = out.data<float>();
  for (std::int64_t c = 0; c < channels; ++c) {
    // (x / 255 - mean) / std as one multiply-add.
    const float stdev = channel_value(s.std, c);
    const float scale = 1.0f / (255.0f * stdev);
    const float shift = channel_value(s.mean, c) / stdev;
    float* plane = data + c * height * width;
    for (std::int64_t y = 0; y < height; ++y) {
      const float* row = image.ptr<float>(static_cast<int>(y));
      for (std::int64_t x = 0; x < width; ++x) {
        plane[y * width + x] = row[x * channels + c] * scale - shift;
      }
    }
  }
  return out;
}

}  // namespace

OpenCvPreprocessor::OpenCvPreprocessor(ImageSettings settings) : settings_(std::move(settings)) {
  if (auto problem = check(settings_)) {
    throw ConfigError("opencv preprocessor: " + problem->key + ": " + problem->message);
  }
  // A bound for OpenCV's own decoders too, for bytes whose header it reads differently.
  static std::once_flag once;
  std::call_once(once, [] {
    ::setenv("OPENCV_IO_MAX_IMAGE_PIXELS", std::to_string(kMaxPixelsLimit).c_str(), 0);
  });
}

Tensor OpenCvPreprocessor::load(const fs::path& file) const {
  const std::string name = file.string();
  const std::int64_t limit = max_encoded_bytes(settings_);
  std::error_code ec;
  if (fs::is_directory(file, ec)) throw IoError(name + ": is a directory, not an image");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError(name + ": cannot open: " + std::strerror(errno));
  const auto too_big = [&](std::uintmax_t size) {
    return IoError(name + ": " + std::to_string(size) + " bytes, more than the " +
                   std::to_string(limit) + " an image of max_pixels " +
                   std::to_string(settings_.max_pixels) + " may have");
  };
  // A regular file's size is known before reading it; a pipe is read up to the limit.
  if (const std::uintmax_t size = fs::file_size(file, ec); !ec && size > std::uintmax_t(limit)) {
    throw too_big(size);
  }
  std::vector<std::byte> bytes;
  constexpr std::size_t kChunk = std::size_t{1} << 20;
  while (in) {
    const std::size_t old = bytes.size();
    bytes.resize(old + kChunk);
    in.read(reinterpret_cast<char*>(bytes.data() + old), kChunk);
    bytes.resize(old + static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > std::size_t(limit)) throw too_big(bytes.size());
  }
  if (in.bad()) throw IoError(name + ": read error");
  return decode(bytes, name);
}

Tensor OpenCvPreprocessor::decode(std::span<const std::byte> bytes,
                                  const std::string& name) const {
  const std::int64_t limit = max_encoded_bytes(settings_);
  if (bytes.size() > std::size_t(limit)) {
    throw IoError(name + ": " + std::to_string(bytes.size()) + " bytes, more than the " +
                  std::to_string(limit) + " an image of max_pixels " +
                  std::to_string(settings_.max_pixels) + " may have");
  }
  const ImageHeader header = read_image_header(bytes, name);
  if (header.width * header.height > settings_.max_pixels) {
    throw IoError(name + ": " + format_name(header.format) + " image of " +
                  pixels_str(header.width, header.height) + ", more than max_pixels " +
                  std::to_string(settings_.max_pixels) + " (refused before decoding)");
  }
  cv::Mat image = decode_mat(bytes, header, name);
  if (std::int64_t{image.rows} * image.cols > settings_.max_pixels) {
    throw IoError(name + ": decoded to " + pixels_str(image.cols, image.rows) +
                  ", more than max_pixels " + std::to_string(settings_.max_pixels));
  }
  image = to_channels(composite(to_float(image, name), settings_.background), settings_.channels);
  const cv::Size size(static_cast<int>(settings_.width), static_cast<int>(settings_.height));
  if (image.size() != size) {
    cv::Mat resized;
    cv::resize(image, resized, size, 0, 0, cv_interpolation(settings_.interpolation));
    image = resized;
  }
  return to_tensor(image, settings_);
}

std::unique_ptr<Preprocessor> opencv_preprocessor_factory(const config::Section& section,
                                                          const BuildContext&) {
  return std::make_unique<OpenCvPreprocessor>(parse_image_settings(section));
}

}  // namespace recur::plugins
