// Training-time image augmentation (tasks/caption/augment.cc): deterministic for a seed,
// shifts move the content by exactly the drawn offset and fill with the background,
// contrast and brightness keep each channel's mean up to the brightness offset, settings
// errors name the key.
#include "augment.h"

#include <gtest/gtest.h>

#include <cmath>

#include "recur/config/section.h"
#include "recur/core/error.h"

namespace recur::tasks {
namespace {

// [n, c, h, w] with distinct values, not integers (as normalised pixels are):
// v = (1 + n * 1000 + c * 100 + y * 10 + x) / 7.
Tensor numbered(std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w) {
  Tensor t = Tensor::zeros({n, c, h, w});
  float* p = t.data<float>();
  for (std::int64_t i = 0; i < n * c * h * w; ++i) {
    const std::int64_t x = i % w, y = i / w % h, ch = i / (w * h) % c, b = i / (w * h * c);
    p[i] = static_cast<float>(1 + b * 1000 + ch * 100 + y * 10 + x) / 7.0f;
  }
  return t;
}

float at(const Tensor& t, std::int64_t b, std::int64_t c, std::int64_t y, std::int64_t x) {
  const float* p = t.data<float>();
  return p[((b * t.dim(1) + c) * t.dim(2) + y) * t.dim(3) + x];
}

double channel_mean(const Tensor& t, std::int64_t b, std::int64_t c) {
  double sum = 0;
  for (std::int64_t y = 0; y < t.dim(2); ++y) {
    for (std::int64_t x = 0; x < t.dim(3); ++x) sum += at(t, b, c, y, x);
  }
  return sum / static_cast<double>(t.dim(2) * t.dim(3));
}

TEST(Augment, TheSameSeedAugmentsAlike) {
  const AugmentSettings a{2, 0.3f, 0.2f};
  Tensor x = numbered(3, 3, 6, 7), y = x.clone();
  std::mt19937_64 r1(42), r2(42);
  augment_images(x, a, r1);
  augment_images(y, a, r2);
  EXPECT_EQ(x.to_vector(), y.to_vector());
  Tensor z = numbered(3, 3, 6, 7);
  std::mt19937_64 r3(43);
  augment_images(z, a, r3);
  EXPECT_NE(x.to_vector(), z.to_vector());
}

TEST(Augment, AShiftMovesTheContentByTheDrawnOffsetAndFillsWithTheTopLeftPixel) {
  const AugmentSettings a{3, 0.0f, 0.0f};
  const std::int64_t h = 6, w = 7;
  const Tensor before = numbered(2, 3, h, w);
  for (std::uint64_t seed : {1u, 2u, 3u, 4u, 5u}) {
    // The draws augment_images makes for each image: dy, dx, then contrast and brightness.
    std::mt19937_64 expected(seed);
    std::vector<std::pair<std::int64_t, std::int64_t>> offsets;
    for (int i = 0; i < 2; ++i) {
      std::uniform_int_distribution<std::int64_t> offset(-a.shift, a.shift);
      std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
      const std::int64_t dy = offset(expected), dx = offset(expected);
      unit(expected);
      unit(expected);
      offsets.emplace_back(dy, dx);
    }
    Tensor after = before.clone();
    std::mt19937_64 rng(seed);
    augment_images(after, a, rng);
    for (std::int64_t b = 0; b < 2; ++b) {
      const auto [dy, dx] = offsets[static_cast<std::size_t>(b)];
      for (std::int64_t c = 0; c < 3; ++c) {
        for (std::int64_t y = 0; y < h; ++y) {
          for (std::int64_t x = 0; x < w; ++x) {
            const std::int64_t sy = y - dy, sx = x - dx;
            const bool inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
            const float want = inside ? at(before, b, c, sy, sx) : at(before, b, c, 0, 0);
            ASSERT_EQ(at(after, b, c, y, x), want)
                << "seed " << seed << " image " << b << " shift (" << dy << ", " << dx << ") at c"
                << c << " y" << y << " x" << x;
          }
        }
      }
    }
  }
}

TEST(Augment, ContrastAndBrightnessKeepTheChannelMeanUpToTheBrightness) {
  const AugmentSettings a{0, 0.5f, 0.25f};
  const Tensor before = numbered(4, 3, 5, 5);
  Tensor after = before.clone();
  std::mt19937_64 rng(7);
  augment_images(after, a, rng);
  EXPECT_NE(after.to_vector(), before.to_vector());
  for (std::int64_t b = 0; b < 4; ++b) {
    // One brightness offset per image, the same for every channel.
    const double add = channel_mean(after, b, 0) - channel_mean(before, b, 0);
    EXPECT_LE(std::abs(add), a.brightness + 1e-4) << b;
    for (std::int64_t c = 1; c < 3; ++c) {
      EXPECT_NEAR(channel_mean(after, b, c) - channel_mean(before, b, c), add, 1e-3) << b;
    }
    // The contrast factor scales differences from the mean: within [1 - c, 1 + c].
    const double spread = at(after, b, 0, 4, 4) - at(after, b, 0, 0, 0);
    const double was = at(before, b, 0, 4, 4) - at(before, b, 0, 0, 0);
    EXPECT_GE(spread / was, 1.0 - a.contrast - 1e-4) << b;
    EXPECT_LE(spread / was, 1.0 + a.contrast + 1e-4) << b;
  }
}

TEST(Augment, ContrastAloneKeepsTheChannelMean) {
  Tensor after = numbered(2, 3, 4, 4);
  const Tensor before = after.clone();
  std::mt19937_64 rng(11);
  augment_images(after, AugmentSettings{0, 0.4f, 0.0f}, rng);
  for (std::int64_t b = 0; b < 2; ++b) {
    for (std::int64_t c = 0; c < 3; ++c) {
      EXPECT_NEAR(channel_mean(after, b, c), channel_mean(before, b, c), 1e-3) << b << " " << c;
    }
  }
}

TEST(Augment, NothingEnabledChangesNothingAndDrawsNothing) {
  Tensor x = numbered(2, 3, 4, 5);
  const Tensor before = x.clone();
  std::mt19937_64 rng(5), fresh(5);
  augment_images(x, AugmentSettings{}, rng);
  EXPECT_EQ(x.to_vector(), before.to_vector());
  EXPECT_EQ(rng(), fresh());
}

AugmentSettings parse(const std::string& yaml) {
  return parse_augment_settings(config::load_string(yaml, "train.yaml", "/models/m").section("augment"));
}

TEST(AugmentSettings, ParsesEveryKey) {
  const AugmentSettings a = parse("augment: {shift: 4, contrast: 0.1, brightness: 0.2}\n");
  EXPECT_EQ(a.shift, 4);
  EXPECT_FLOAT_EQ(a.contrast, 0.1f);
  EXPECT_FLOAT_EQ(a.brightness, 0.2f);
  EXPECT_TRUE(a.any());
  EXPECT_FALSE(parse("augment: {}\n").any());
}

TEST(AugmentSettings, ErrorsNameTheFileLineAndKey) {
  const struct {
    std::string yaml, key;
  } cases[] = {{"augment:\n  shift: -1\n", "shift"},
               {"augment:\n  shift: 1.5\n", "shift"},
               {"augment:\n  contrast: 0.95\n", "contrast"},
               {"augment:\n  brightness: -0.1\n", "brightness"},
               {"augment:\n  brightness: 3\n", "brightness"},
               {"augment:\n  flip: true\n", "flip"}};
  for (const auto& c : cases) {
    try {
      parse(c.yaml);
      ADD_FAILURE() << "accepted: " << c.yaml;
    } catch (const ConfigError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("train.yaml:2"), std::string::npos) << what;
      EXPECT_NE(what.find(c.key), std::string::npos) << what;
    }
  }
}

}  // namespace
}  // namespace recur::tasks
