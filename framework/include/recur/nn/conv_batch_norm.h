// Inference of a convolution followed by batch norm in evaluation mode as one
// convolution: with s = gamma / sqrt(running_var + eps) per output channel, the weight
// becomes weight * s and the bias (bias - running_mean) * s + beta. No batch norm pass
// over the activations, and the convolution's output is written once.
//
// The folded weight and bias are made on first use and again whenever one of the six
// tensors they come from has changed (their storage versions), so training, loading or
// averaging weights is never answered with a stale fold. Thread-safe: workers share it.
#pragma once

#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

#include "recur/core/tensor.h"
#include "recur/nn/batch_norm2d.h"
#include "recur/nn/conv2d.h"

namespace recur::nn {

class FoldedConvBatchNorm {
 public:
  // Both must outlive this.
  FoldedConvBatchNorm(const Conv2d& conv, const BatchNorm2d& norm) : conv_(conv), norm_(norm) {}

  // norm (evaluation) of conv, for x in the conv's layout (its options' channels_last).
  // Records nothing for backward: for inference only.
  Tensor forward(const Tensor& x);
  // relu(forward(x) + residual) in one convolution (ops::conv2d_relu); residual optional.
  Tensor forward_relu(const Tensor& x, const Tensor& residual = {});

 private:
  std::vector<std::uint64_t> versions() const;
  // The folded weight and bias, made again if their sources changed.
  std::pair<Tensor, Tensor> folded();

  const Conv2d& conv_;
  const BatchNorm2d& norm_;
  std::mutex mutex_;
  std::vector<std::uint64_t> made_from_;  // versions of the sources of weight_ and bias_
  Tensor weight_, bias_;
};

}  // namespace recur::nn
