// Checkpoint averaging: the element-wise mean of one model's weights saved at several
// points of a run (the last N validations, `keep_checkpoints`), which often translates
// better than any single one of them (as Marian's and OpenNMT's average scripts do).
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "recur/core/tensor.h"
#include "recur/nn/safetensors.h"

namespace recur::nn {

// The tensor names of `file` as a model file: "" for a model file, "model." for a
// training checkpoint (metadata recur_checkpoint), whose model tensors carry that prefix.
std::string model_tensor_prefix(const safetensors::File& file);

// The mean of `files`' weights, named, shaped and ordered as the model file `like`.
// Each input is a model file or a training checkpoint of that model. Floating tensors
// (f32, f16, bf16 in any mix) are averaged in double and returned as f32; integer
// tensors (a forecaster's fitted scalers) must be identical in every file and are
// returned as they are. A missing tensor, another shape, a non-finite value or an
// integer tensor that differs is an IoError naming the file and the tensor.
std::vector<std::pair<std::string, Tensor>> average_weights(const safetensors::File& like,
                                                            const std::vector<std::filesystem::path>& files);

}  // namespace recur::nn
