// Preprocessor interface (images): file path or encoded bytes -> normalized CHW tensor.
// Plugin: opencv.
#pragma once

#include <cstddef>
#include <filesystem>
#include <span>

#include "recur/core/tensor.h"
#include "recur/plugin/component.h"

namespace recur {

class Preprocessor : public Component {
 public:
  static constexpr const char* kKind = "preprocessor";
  ~Preprocessor() override;

  // [C, H, W] f32. An unreadable or undecodable image is an IoError naming it.
  virtual Tensor load(const std::filesystem::path& file) const = 0;
  virtual Tensor decode(std::span<const std::byte> bytes, const std::string& name) const = 0;
};

}  // namespace recur
