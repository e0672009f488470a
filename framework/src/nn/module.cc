#include "recur/nn/module.h"

#include <algorithm>

namespace recur::nn {

Module::~Module() = default;

namespace {
void check_name(const std::string& name, const char* what) {
  if (name.empty() || name.find('.') != std::string::npos) {
    throw Error(std::string("invalid ") + what + " name '" + name + "' (empty or contains '.')");
  }
}
}  // namespace

Tensor Module::register_parameter(std::string name, Tensor value) {
  check_name(name, "parameter");
  value.set_requires_grad(true);
  params_.emplace_back(std::move(name), value);
  return value;
}

Tensor Module::register_buffer(std::string name, Tensor value) {
  check_name(name, "buffer");
  buffers_.emplace_back(std::move(name), value);
  return value;
}

void Module::register_module(std::string name, Module& child) {
  check_name(name, "module");
  children_.emplace_back(std::move(name), &child);
  child.share_rng(rng_);
}

void Module::share_rng(const std::shared_ptr<std::mt19937_64>& rng) {
  rng_ = rng;
  for (auto& [name, child] : children_) child->share_rng(rng);
}

void Module::collect(const std::string& prefix, bool buffers,
                     std::vector<std::pair<std::string, Tensor>>& out) const {
  for (const auto& [name, t] : buffers ? buffers_ : params_) out.emplace_back(prefix + name, t);
  for (const auto& [name, child] : children_) child->collect(prefix + name + ".", buffers, out);
}

std::vector<std::pair<std::string, Tensor>> Module::named_parameters() const {
  std::vector<std::pair<std::string, Tensor>> out;
  collect("", false, out);
  return out;
}

std::vector<Tensor> Module::parameters() const {
  std::vector<Tensor> out;
  for (auto& [name, t] : named_parameters()) out.push_back(t);
  return out;
}

std::vector<std::pair<std::string, Tensor>> Module::named_buffers() const {
  std::vector<std::pair<std::string, Tensor>> out;
  collect("", true, out);
  return out;
}

std::int64_t Module::parameter_count() const {
  std::int64_t n = 0;
  for (const auto& [name, t] : named_parameters()) n += t.numel();
  return n;
}

void Module::train(bool on) {
  training_ = on;
  for (auto& [name, child] : children_) child->train(on);
}

void Module::zero_grad() {
  for (auto& [name, t] : named_parameters()) t.zero_grad();
}

}  // namespace recur::nn
