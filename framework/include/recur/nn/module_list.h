// A list of submodules named by their index ("0", "1", ...), as torch's nn.ModuleList:
// parameters of the third block of the second stage are then "stages.1.2.conv.weight".
// The list does not own its children.
#pragma once

#include <cstddef>
#include <string>

#include "recur/nn/module.h"

namespace recur::nn {

class ModuleList final : public Module {
 public:
  // Registers `child` under the next index.
  void append(Module& child) { register_module(std::to_string(size_++), child); }
  std::size_t size() const { return size_; }

 private:
  std::size_t size_ = 0;
};

}  // namespace recur::nn
