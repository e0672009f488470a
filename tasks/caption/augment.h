// Training-time augmentation of images that are drawings (emoji, icons): changes that
// keep what a caption says true. Small shifts (the same drawing, placed elsewhere) and a
// mild contrast / brightness change; no flips (left-pointing and right-pointing arrows
// are different emoji) and no hue changes (skin tones and flag colours are the caption).
//
//   train:
//     data:
//       augment: {shift: 4, contrast: 0.1, brightness: 0.1}
//
// shift: each image is moved by up to `shift` pixels in x and y (uniform integers), the
//        uncovered border filled with the image's top-left pixel (the background);
// contrast: pixels are scaled about the channel mean by a factor U(1 - c, 1 + c);
// brightness: U(-b, b) is added to every channel (in normalised units).
// One draw per image from the step's random stream: a resumed run augments alike.
#pragma once

#include <cstdint>
#include <random>

#include "recur/config/section.h"
#include "recur/core/tensor.h"

namespace recur::tasks {

struct AugmentSettings {
  std::int64_t shift = 0;
  float contrast = 0.0f;
  float brightness = 0.0f;
  bool any() const { return shift > 0 || contrast > 0 || brightness > 0; }
};

AugmentSettings parse_augment_settings(const config::Section& section);

// Augments every image of `images` [N, C, H, W] in place.
void augment_images(Tensor& images, const AugmentSettings& settings, std::mt19937_64& rng);

}  // namespace recur::tasks
