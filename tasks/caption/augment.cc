#include "augment.h"

#include <algorithm>
#include <vector>

namespace recur::tasks {

AugmentSettings parse_augment_settings(const config::Section& s) {
  AugmentSettings a;
  a.shift = s.non_negative<std::int64_t>("shift", a.shift);
  a.contrast = static_cast<float>(s.in_range("contrast", 0.0, 0.9, a.contrast));
  a.brightness = static_cast<float>(s.in_range("brightness", 0.0, 2.0, a.brightness));
  s.finish();
  return a;
}

namespace {

// Moves one channel plane by (dy, dx), filling with `fill`.
void shift_plane(float* plane, std::int64_t h, std::int64_t w, std::int64_t dy, std::int64_t dx,
                 float fill, std::vector<float>& scratch) {
  scratch.assign(plane, plane + h * w);
  for (std::int64_t y = 0; y < h; ++y) {
    const std::int64_t sy = y - dy;
    for (std::int64_t x = 0; x < w; ++x) {
      const std::int64_t sx = x - dx;
      plane[y * w + x] = sy >= 0 && sy < h && sx >= 0 && sx < w ? scratch[sy * w + sx] : fill;
    }
  }
}

}  // namespace

void augment_images(Tensor& images, const AugmentSettings& a, std::mt19937_64& rng) {
  if (!a.any()) return;
  const std::int64_t n = images.dim(0), c = images.dim(1), h = images.dim(2), w = images.dim(3);
  float* p = images.data<float>();
  std::vector<float> scratch;
  for (std::int64_t i = 0; i < n; ++i) {
    // Draws in a fixed order whatever is enabled, so settings do not change each other's draws.
    std::uniform_int_distribution<std::int64_t> offset(-a.shift, a.shift);
    std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
    const std::int64_t dy = offset(rng), dx = offset(rng);
    const float factor = 1.0f + a.contrast * unit(rng);
    const float add = a.brightness * unit(rng);
    for (std::int64_t ch = 0; ch < c; ++ch) {
      float* plane = p + (i * c + ch) * h * w;
      if (dy != 0 || dx != 0) shift_plane(plane, h, w, dy, dx, plane[0], scratch);
      // m + (x - m) is not x in floats: without contrast and brightness, pixels stay exact.
      if (factor == 1.0f && add == 0.0f) continue;
      double mean = 0;
      for (std::int64_t k = 0; k < h * w; ++k) mean += plane[k];
      const auto m = static_cast<float>(mean / static_cast<double>(h * w));
      for (std::int64_t k = 0; k < h * w; ++k) plane[k] = m + (plane[k] - m) * factor + add;
    }
  }
}

}  // namespace recur::tasks
