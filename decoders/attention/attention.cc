#include "attention.h"

#include <limits>
#include <string>

#include "recur/nn/linear.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/linear.h"
#include "recur/ops/matmul.h"
#include "recur/ops/shape.h"
#include "recur/ops/softmax.h"

namespace recur::decoders {

Attention::Attention(AttentionKind kind, std::int64_t memory_size, std::int64_t hidden_size,
                     std::int64_t attention_size)
    : kind_(kind) {
  if (kind == AttentionKind::dot && memory_size != hidden_size) {
    throw ShapeError("dot attention needs memory size (" + std::to_string(memory_size) +
                     ") == hidden size (" + std::to_string(hidden_size) + ")");
  }
  if (kind == AttentionKind::general) {
    w_key_ = register_parameter("w_key", Tensor::zeros({hidden_size, memory_size}));
  } else if (kind == AttentionKind::mlp) {
    w_key_ = register_parameter("w_key", Tensor::zeros({attention_size, memory_size}));
    w_query_ = register_parameter("w_query", Tensor::zeros({attention_size, hidden_size}));
    b_query_ = register_parameter("b_query", Tensor::zeros({attention_size}));
    v_ = register_parameter("v", Tensor::zeros({attention_size}));
  }
}

Tensor Attention::keys(const Tensor& states) const {
  return kind_ == AttentionKind::dot ? states : ops::linear(states, w_key_);
}

Tensor Attention::scores(const Tensor& h, const Tensor& keys) const {
  if (kind_ != AttentionKind::mlp) return ops::matmul(h, keys, false, true);
  // [B, 1, S, A] + [B, T, 1, A] -> [B, T, S, A] -> · v -> [B, T, S]
  Tensor q = ops::linear(h, w_query_, b_query_);
  Tensor t = ops::tanh(ops::add(ops::unsqueeze(keys, 1), ops::unsqueeze(q, 2)));
  Tensor s = ops::linear(t, ops::reshape(v_, {1, v_.dim(0)}));
  return ops::reshape(s, {h.dim(0), h.dim(1), keys.dim(1)});
}

AttentionOutput Attention::forward(const Tensor& h, const Tensor& keys, const Tensor& states,
                                   const Tensor& padding) const {
  Tensor s = ops::masked_fill(scores(h, keys), padding, -std::numeric_limits<float>::infinity());
  AttentionOutput out;
  out.weights = ops::softmax(s, -1);
  out.context = ops::matmul(out.weights, states);
  return out;
}

void Attention::reset_parameters(std::mt19937_64& rng) {
  if (kind_ == AttentionKind::dot) return;
  nn::init_linear_uniform(w_key_, w_key_.dim(1), rng);
  if (kind_ == AttentionKind::mlp) {
    nn::init_linear_uniform(w_query_, w_query_.dim(1), rng);
    nn::init_linear_uniform(b_query_, w_query_.dim(1), rng);
    nn::init_linear_uniform(v_, v_.dim(0), rng);
  }
}

}  // namespace recur::decoders
