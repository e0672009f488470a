#include "recur/nn/average.h"

#include <cstring>

#include "recur/core/error.h"
#include "recur/nn/finite.h"

namespace recur::nn {

std::string model_tensor_prefix(const safetensors::File& file) {
  return file.metadata().contains("recur_checkpoint") ? "model." : "";
}

std::vector<std::pair<std::string, Tensor>> average_weights(const safetensors::File& like,
                                                            const std::vector<std::filesystem::path>& files) {
  if (files.empty()) throw Error("average_weights: no files to average");
  std::vector<safetensors::File> inputs;
  inputs.reserve(files.size());
  for (const auto& path : files) inputs.push_back(safetensors::File::open(path));

  std::vector<std::pair<std::string, Tensor>> out;
  for (const auto& info : like.tensors()) {
    const std::string& name = info.name;
    const bool floating = is_float(info.dtype);
    std::vector<double> sum(floating ? static_cast<std::size_t>(shape_numel(info.shape)) : 0, 0.0);
    Tensor first;
    for (const auto& in : inputs) {
      const std::string key = model_tensor_prefix(in) + name;
      if (!in.contains(key)) throw IoError(in.name() + ": no tensor '" + key + "' (the model has '" + name + "')");
      const auto& got = in.info(key);
      if (got.shape != info.shape) {
        throw IoError(in.name() + ": tensor '" + key + "' has shape " + shape_str(got.shape) + ", the model has " +
                      shape_str(info.shape));
      }
      if (is_float(got.dtype) != floating) {
        throw IoError(in.name() + ": tensor '" + key + "' is " + std::string(dtype_name(got.dtype)) +
                      ", the model's is " + std::string(dtype_name(info.dtype)));
      }
      check_finite(in, key);
      if (floating) {
        const Tensor t = in.get_f32(key);
        const float* v = t.data<float>();
        for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += v[i];
        continue;
      }
      const Tensor t = in.get(key);
      if (!first.defined()) {
        first = t.clone();
      } else if (t.dtype() != first.dtype() || std::memcmp(t.raw_data(), first.raw_data(), t.nbytes()) != 0) {
        throw IoError(in.name() + ": tensor '" + key + "' differs from " + inputs.front().name() +
                      "'s (integer tensors are not averaged: they must be the same in every file)");
      }
    }
    if (!floating) {
      out.emplace_back(name, first);
      continue;
    }
    Tensor mean = Tensor::empty(info.shape, DType::f32);
    float* m = mean.data<float>();
    const double n = static_cast<double>(inputs.size());
    for (std::size_t i = 0; i < sum.size(); ++i) m[i] = static_cast<float>(sum[i] / n);
    out.emplace_back(name, mean);
  }
  return out;
}

}  // namespace recur::nn
