// The opencv preprocessor: an encoded PNG, JPEG, BMP or WebP image (a file or bytes) ->
// a normalised [C, H, W] f32 tensor, C = 3 in RGB order or C = 1 (grey).
//
//   1. bounds: the file is read up to max_encoded_bytes(); the format and size come from
//      the header (image_header.h) and width * height must not exceed max_pixels;
//   2. decode with OpenCV imgcodecs: PNG, BMP and WebP keep their alpha channel and
//      depth; JPEG is decoded as colour with its EXIF orientation applied. Palette and
//      1/2/4-bit PNGs are expanded by libpng, 16-bit samples scaled to 0..255 (v / 257);
//   3. alpha (grey+alpha, RGBA, a palette with transparency) is composited onto
//      `background`: out = a * pixel + (1 - a) * background, a = alpha / 255;
//   4. colour to `channels`: grey is replicated for RGB; RGB becomes grey as
//      0.299 R + 0.587 G + 0.114 B (grey sources are never converted);
//   5. resize (stretch) to `size` with `interpolation`, in float; skipped at equal size;
//   6. out[c][y][x] = (x / 255 - mean[c]) / std[c].
//
// Every failure is an IoError naming the file (or the name given to decode()): missing,
// unreadable, empty, too large, of unknown format, truncated, zero-size, undecodable.
// As a second line of defence the constructor sets OPENCV_IO_MAX_IMAGE_PIXELS (unless
// the environment already does) to kMaxPixelsLimit; OpenCV reads it once per process.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>

#include "image_settings.h"
#include "recur/preprocessor.h"

namespace recur::plugins {

class OpenCvPreprocessor final : public Preprocessor {
 public:
  explicit OpenCvPreprocessor(ImageSettings settings);

  Tensor load(const std::filesystem::path& file) const override;
  Tensor decode(std::span<const std::byte> bytes, const std::string& name) const override;

  const ImageSettings& settings() const { return settings_; }

 private:
  ImageSettings settings_;
};

}  // namespace recur::plugins
