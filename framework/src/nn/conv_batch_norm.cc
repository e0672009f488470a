#include "recur/nn/conv_batch_norm.h"

#include <cmath>

#include "recur/ops/tape.h"

namespace recur::nn {

std::vector<std::uint64_t> FoldedConvBatchNorm::versions() const {
  std::vector<std::uint64_t> v{conv_.weight().version(), norm_.weight().version(), norm_.bias().version(),
                               norm_.running_mean().version(), norm_.running_var().version()};
  if (conv_.bias().defined()) v.push_back(conv_.bias().version());
  return v;
}

std::pair<Tensor, Tensor> FoldedConvBatchNorm::folded() {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::vector<std::uint64_t> now = versions();
  if (now != made_from_) {
    const Tensor& w = conv_.weight();
    const std::int64_t out = w.dim(0), per_out = w.numel() / out;
    Tensor fw = Tensor::empty(w.shape()), fb = Tensor::empty({out});
    const float* src = w.data<float>();
    const float* gamma = norm_.weight().data<float>();
    const float* beta = norm_.bias().data<float>();
    const float* mean = norm_.running_mean().data<float>();
    const float* var = norm_.running_var().data<float>();
    const float* cb = conv_.bias().defined() ? conv_.bias().data<float>() : nullptr;
    float* dw = fw.data<float>();
    float* db = fb.data<float>();
    for (std::int64_t o = 0; o < out; ++o) {
      const double s = static_cast<double>(gamma[o]) / std::sqrt(static_cast<double>(var[o]) + norm_.eps());
      for (std::int64_t i = 0; i < per_out; ++i) dw[o * per_out + i] = static_cast<float>(src[o * per_out + i] * s);
      db[o] = static_cast<float>(((cb ? cb[o] : 0.0) - mean[o]) * s + beta[o]);
    }
    weight_ = fw;
    bias_ = fb;
    made_from_ = now;
  }
  return {weight_, bias_};
}

Tensor FoldedConvBatchNorm::forward(const Tensor& x) {
  autograd::NoGradGuard no_grad;
  auto [weight, bias] = folded();
  return ops::conv2d(x, weight, bias, conv_.settings().options);
}

Tensor FoldedConvBatchNorm::forward_relu(const Tensor& x, const Tensor& residual) {
  auto [weight, bias] = folded();
  return ops::conv2d_relu(x, weight, bias, conv_.settings().options, residual);
}

}  // namespace recur::nn
