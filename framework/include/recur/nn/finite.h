// Non-finite weights: one NaN in a recurrent weight turns every translation into an
// empty line with a NaN score, so loading refuses them (an option lets them through).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "recur/core/tensor.h"
#include "recur/nn/safetensors.h"

namespace recur::nn {

struct NonFinite {
  std::int64_t count = 0;   // NaN and infinite values in the tensor
  std::int64_t first = 0;   // flat index of the first one
  std::string first_kind;   // "NaN", "+Inf" or "-Inf"
};

// Scans an f32, f16 or bf16 tensor (other dtypes are always finite); nullopt when every
// value is finite.
std::optional<NonFinite> find_nonfinite(const Tensor& t);

// "1 non-finite value (NaN at index 17)".
std::string describe(const NonFinite& n);

// Throws IoError "<file>: <tensor>: 1 non-finite value (NaN at index 17)" if the
// file's tensor holds a NaN or an infinity.
void check_finite(const safetensors::File& file, std::string_view tensor);

}  // namespace recur::nn
