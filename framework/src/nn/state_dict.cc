#include "recur/nn/state_dict.h"

#include <set>

#include "recur/nn/finite.h"

namespace recur::nn {

namespace {

Tensor to_half(const Tensor& t, DType dtype) {
  Tensor out = Tensor::empty(t.shape(), dtype);  // every element written below
  const float* src = t.data<float>();
  auto* dst = static_cast<std::uint16_t*>(out.raw_data());
  for (std::int64_t i = 0, n = t.numel(); i < n; ++i) {
    dst[i] = dtype == DType::bf16 ? float_to_bf16(src[i]) : float_to_f16(src[i]);
  }
  return out;
}

// "'a', 'b', 'c' and 4 more": enough to act on without flooding a terminal.
std::string name_list(const std::vector<std::string>& names) {
  constexpr std::size_t kShown = 8;
  std::string s;
  for (std::size_t i = 0; i < names.size() && i < kShown; ++i) s += (i ? ", '" : "'") + names[i] + "'";
  if (names.size() > kShown) s += " and " + std::to_string(names.size() - kShown) + " more";
  return s;
}

// Every reason the file does not fit the module, as one message (empty when it fits).
std::string mismatches(const std::vector<std::pair<std::string, Tensor>>& entries,
                       const safetensors::File& file) {
  std::set<std::string, std::less<>> expected;
  std::vector<std::string> missing, unexpected;
  std::string wrong;
  for (const auto& [name, t] : entries) {
    expected.insert(name);
    if (!file.contains(name)) {
      missing.push_back(name);
      continue;
    }
    const safetensors::TensorInfo& info = file.info(name);
    if (info.shape != t.shape()) {
      wrong += "; tensor '" + name + "' has shape " + shape_str(info.shape) + " in the file but " +
               shape_str(t.shape()) + " in the module";
    } else if (info.dtype != t.dtype() && !(t.dtype() == DType::f32 && is_float(info.dtype))) {
      wrong += "; tensor '" + name + "' is " + std::string(dtype_name(info.dtype)) +
               " in the file but " + std::string(dtype_name(t.dtype())) + " in the module";
    }
  }
  for (const auto& info : file.tensors()) {
    if (!expected.contains(info.name)) unexpected.push_back(info.name);
  }
  std::string out;
  if (!missing.empty()) out += "; missing tensors " + name_list(missing) + " (the module has them, the file does not)";
  if (!unexpected.empty()) out += "; unexpected tensors " + name_list(unexpected) + " (the file has them, the module does not)";
  out += wrong;
  return out.empty() ? out : out.substr(2);
}

}  // namespace

std::vector<std::pair<std::string, Tensor>> state_dict(const Module& module) {
  auto out = module.named_parameters();
  for (auto& b : module.named_buffers()) out.push_back(std::move(b));
  return out;
}

void save_state_dict(const Module& module, const std::filesystem::path& path, const SaveOptions& options) {
  save_tensors(state_dict(module), path, options);
}

void save_tensors(std::vector<std::pair<std::string, Tensor>> tensors, const std::filesystem::path& path,
                  const SaveOptions& options) {
  DType to = options.float_dtype.value_or(DType::f32);
  if (!is_float(to)) {
    throw ConfigError(path.string() + ": float_dtype must be f32, f16 or bf16, not " +
                      std::string(dtype_name(to)));
  }
  if (to != DType::f32) {
    for (auto& [name, t] : tensors) {
      if (t.dtype() == DType::f32) t = to_half(t, to);
    }
  }
  safetensors::save(path, tensors, options.metadata);
}

void load_state_dict(Module& module, const safetensors::File& file, const LoadOptions& options) {
  auto entries = state_dict(module);
  if (std::string defects = mismatches(entries, file); !defects.empty()) {
    throw IoError(file.name() + ": does not fit the module: " + defects);
  }
  if (!options.allow_nonfinite) {
    for (const auto& [name, t] : entries) check_finite(file, name);
  }
  for (auto& [name, t] : entries) {
    t.copy_from(file.info(name).dtype == t.dtype() ? file.get(name) : file.get_f32(name));
  }
}

std::map<std::string, std::string> load_state_dict(Module& module, const std::filesystem::path& path,
                                                   const LoadOptions& options) {
  safetensors::File file = safetensors::File::open(path);
  load_state_dict(module, file, options);
  return file.metadata();
}

}  // namespace recur::nn
