// Helpers for tests reading tests/data/fixtures/caption/ (written by
// scripts/fixtures/make_caption_fixtures.py from the PyTorch reference): the fixture's
// folder, element-wise comparison with a stated tolerance, and loading a sub-module's
// tensors ("encoder.*") from the model's weights file.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>

#include "recur/core/tensor.h"
#include "recur/nn/module.h"
#include "recur/nn/safetensors.h"

namespace recur::testing {

inline const std::filesystem::path kCaptionFixtures = RECUR_TEST_DATA_DIR "/fixtures/caption";

// |got - want| <= atol + rtol |want| for every element; returns the largest |got - want|.
inline double expect_close(const Tensor& got, const Tensor& want, double atol, double rtol,
                           const std::string& what) {
  EXPECT_EQ(got.shape(), want.shape()) << what;
  if (got.shape() != want.shape()) return INFINITY;
  const auto g = got.to_vector();
  const auto w = want.to_vector();
  double worst = 0;
  for (std::size_t i = 0; i < g.size(); ++i) {
    const double err = std::abs(double(g[i]) - double(w[i]));
    worst = std::max(worst, err);
    if (err > atol + rtol * std::abs(double(w[i]))) {
      ADD_FAILURE() << what << " element " << i << ": " << g[i] << " vs " << w[i];
      return worst;
    }
  }
  ::testing::Test::RecordProperty(what + "_max_abs_error", std::to_string(worst));
  return worst;
}

// Copies every parameter and buffer of `module` from `file`'s tensors `prefix` + name.
inline void load_prefixed(nn::Module& module, const safetensors::File& file,
                          const std::string& prefix) {
  for (const auto& list : {module.named_parameters(), module.named_buffers()}) {
    for (const auto& [name, t] : list) {
      Tensor dst = t;
      dst.copy_from(file.get(prefix + name));
    }
  }
}

}  // namespace recur::testing
