// Module: a component with named parameters, buffers and submodules, and a train/eval
// mode. Names are stable dotted paths ("encoder.layers.0.weight_ih") used by state
// dicts and safetensors files. Parameters are Tensor handles: loading a state dict
// copies values into the existing storage, so handles held elsewhere stay valid.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "recur/core/tensor.h"

namespace recur::nn {

class Module {
 public:
  Module() = default;
  virtual ~Module();
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  // All parameters of this module and its submodules, depth first, with dotted names.
  std::vector<std::pair<std::string, Tensor>> named_parameters() const;
  std::vector<Tensor> parameters() const;
  // Buffers: state that is saved but not trained (batch-norm running statistics).
  std::vector<std::pair<std::string, Tensor>> named_buffers() const;
  std::int64_t parameter_count() const;

  // Training mode (dropout active, batch norm uses batch statistics).
  void train(bool on = true);
  void eval() { train(false); }
  bool training() const { return training_; }

  void zero_grad();

  // The random stream for dropout and other training-time noise, shared by a module and
  // all its submodules (a child registered into a parent uses the parent's stream). The
  // trainer reseeds it every step from (seed, step), so resumed runs draw the same masks.
  std::mt19937_64& rng() { return *rng_; }
  void seed(std::uint64_t value) { rng_->seed(value); }

 protected:
  // Registers a trainable tensor; it is marked requires_grad. Returns the handle.
  Tensor register_parameter(std::string name, Tensor value);
  Tensor register_buffer(std::string name, Tensor value);
  // Registers a child owned elsewhere (typically a member of the derived class).
  void register_module(std::string name, Module& child);

 private:
  void collect(const std::string& prefix, bool buffers,
               std::vector<std::pair<std::string, Tensor>>& out) const;

  void share_rng(const std::shared_ptr<std::mt19937_64>& rng);

  bool training_ = true;
  std::shared_ptr<std::mt19937_64> rng_ = std::make_shared<std::mt19937_64>(5489u);
  std::vector<std::pair<std::string, Tensor>> params_;
  std::vector<std::pair<std::string, Tensor>> buffers_;
  std::vector<std::pair<std::string, Module*>> children_;
};

}  // namespace recur::nn
