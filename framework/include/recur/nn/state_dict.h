// State dicts: a Module's parameters and buffers by stable dotted name, saved to and
// loaded from safetensors files. A model file is exactly the state dict of its modules.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "recur/nn/module.h"
#include "recur/nn/safetensors.h"

namespace recur::nn {

struct SaveOptions {
  // Store f32 tensors as DType::bf16 or DType::f16 (half the size of a shipped model);
  // unset keeps f32. Integer buffers are never converted.
  std::optional<DType> float_dtype = std::nullopt;
  std::map<std::string, std::string> metadata = {};  // written to "__metadata__"
};

struct LoadOptions {
  // Accept NaN and infinite values in f32/f16/bf16 tensors. By default a file holding
  // any is refused: "<file>: <tensor>: 1 non-finite value (NaN at index 17)".
  bool allow_nonfinite = false;
};

// Parameters, then buffers, each as named_parameters()/named_buffers() list them.
std::vector<std::pair<std::string, Tensor>> state_dict(const Module& module);

void save_state_dict(const Module& module, const std::filesystem::path& path,
                     const SaveOptions& options = {});
// The same for named tensors that are not (yet) a module's: f32 tensors are stored as
// options.float_dtype, others as they are.
void save_tensors(std::vector<std::pair<std::string, Tensor>> tensors, const std::filesystem::path& path,
                  const SaveOptions& options = {});

// Copies every parameter and buffer of `module` from the file into its existing storage
// (handles held elsewhere stay valid). The file must hold exactly the module's names
// with the same shapes; F16/BF16 tensors convert to f32 parameters. Any mismatch is an
// IoError naming the file and the tensors, raised before anything is modified; so is a
// non-finite value unless options.allow_nonfinite. Returns the file's metadata.
std::map<std::string, std::string> load_state_dict(Module& module, const std::filesystem::path& path,
                                                   const LoadOptions& options = {});
void load_state_dict(Module& module, const safetensors::File& file, const LoadOptions& options = {});

}  // namespace recur::nn
