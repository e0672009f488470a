// Settings of the opencv preprocessor: one definition, one set of defaults, one check().
//
// Pipeline settings (all optional):
//   size: 128            # output height and width; or [H, W]. The image is stretched to
//                        # it (no aspect-preserving crop: the caption code augments tensors)
//   channels: 3          # 3: RGB, in that order; 1: grey (0.299 R + 0.587 G + 0.114 B)
//   interpolation: area  # area | linear | cubic | nearest (OpenCV's INTER_*)
//   mean: [0.5]          # per channel, on x/255: out = (x/255 - mean[c]) / std[c];
//   std: [0.5]           #   one value for every channel, or one per channel. The
//                        #   defaults map [0, 255] to [-1, 1] (a CNN trained from scratch);
//                        #   ImageNet's are mean [0.485, 0.456, 0.406], std [0.229, 0.224, 0.225]
//   background: [255, 255, 255]   # RGB 0..255 that transparent pixels are composited onto
//   max_pixels: 16777216 # larger images (width * height, read from the file's header
//                        # before decoding) are refused; at most kMaxPixelsLimit
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "recur/config/option_problem.h"
#include "recur/plugin/component.h"
#include "recur/preprocessor.h"

namespace recur::config {
class Section;
}

namespace recur::plugins {

enum class Interpolation { kArea, kLinear, kCubic, kNearest };

// The largest max_pixels accepted: 2^27 pixels (11585 x 11585) keeps the encoded-bytes
// bound below (8 bytes a pixel) under 2 GiB, the most OpenCV decodes from one buffer.
inline constexpr std::int64_t kMaxPixelsLimit = std::int64_t{1} << 27;

struct ImageSettings {
  std::int64_t height = 128;
  std::int64_t width = 128;
  std::int64_t channels = 3;
  Interpolation interpolation = Interpolation::kArea;
  std::vector<float> mean = {0.5f};
  std::vector<float> std = {0.5f};
  std::array<std::int64_t, 3> background = {255, 255, 255};  // R, G, B
  std::int64_t max_pixels = std::int64_t{4096} * 4096;
};

// The one validation; `key` names the YAML key. nullopt if the settings are usable.
std::optional<config::OptionProblem> check(const ImageSettings& settings);

// mean or std for channel c (a single value serves every channel).
float channel_value(const std::vector<float>& values, std::int64_t c);

// The most bytes an encoded image may have: 8 per allowed pixel (16-bit RGBA stored
// uncompressed) plus 16 MiB of metadata (ICC profiles, EXIF). Bigger files are refused
// unread, so a huge file named .png cannot exhaust memory.
std::int64_t max_encoded_bytes(const ImageSettings& settings);

// Parses the settings above, then check(); a problem is a ConfigError at file:line and key.
ImageSettings parse_image_settings(const config::Section& section);

// The factory of an OpenCvPreprocessor (opencv_preprocessor.cc). The plugin registers
// lazy_opencv_factory (lazy_factory.h) instead, which loads OpenCV on first use.
std::unique_ptr<Preprocessor> opencv_preprocessor_factory(const config::Section& section,
                                                          const BuildContext& context);

}  // namespace recur::plugins
