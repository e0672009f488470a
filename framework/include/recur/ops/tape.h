// The tape: while gradients are wanted, every differentiable op records a Node that
// knows how to map gradients of its outputs to gradients of its inputs. backward() from
// a scalar walks the recorded nodes in reverse order of creation and accumulates
// gradients into the leaves that require them (parameters).
//
// Inside a NoGradGuard nothing is recorded, and ops cost their forward kernels only.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "recur/core/tensor.h"

namespace recur::autograd {

// Is recording on for this thread? (on by default)
bool grad_enabled();

// Turns recording off for its scope (this thread only).
class NoGradGuard {
 public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

// One recorded op. `inputs` are the tensors it reads that may need gradients;
// backward() receives one gradient per output (zeros for outputs nothing depended on)
// and returns one gradient per input (undefined where the input needs none).
class Node {
 public:
  virtual ~Node() = default;
  virtual std::vector<Tensor> backward(const std::vector<Tensor>& grad_outputs) = 0;
  virtual const char* name() const = 0;

  std::vector<Tensor> inputs;
  std::vector<Shape> output_shapes;
  std::uint64_t sequence = 0;  // creation order; later nodes run first in backward
};

using BackwardFn = std::function<std::vector<Tensor>(const std::vector<Tensor>& grad_outputs)>;

// True if recording is on and any of `inputs` requires a gradient.
bool needs_grad(std::initializer_list<const Tensor*> inputs);
bool needs_grad(const std::vector<Tensor>& inputs);

// Records `fn` as the node producing `outputs` from `inputs`, if any input requires a
// gradient and recording is on; marks the outputs as requiring gradients. `name` must be
// a string literal (it is kept, not copied).
void record(const char* name, const std::vector<Tensor>& inputs,
            const std::vector<Tensor*>& outputs, BackwardFn fn);

// Runs backpropagation from `root` (a tensor with one element). Leaves accumulate into
// their grad(); the graph is released afterwards.
void backward(const Tensor& root);

// Gradient accumulation: dst += src (allocates dst if undefined).
void accumulate(std::shared_ptr<TensorImpl>& dst, const Tensor& src);

}  // namespace recur::autograd
