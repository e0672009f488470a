#include "recur/nn/embedding.h"

#include <cstring>
#include <string>

#include "recur/nn/linear.h"
#include "recur/ops/embedding.h"

namespace recur::nn {

Embedding::Embedding(std::int64_t vocab_size, std::int64_t embedding_size, std::int64_t padding_id)
    : padding_id_(padding_id) {
  if (vocab_size < 1 || embedding_size < 1) {
    throw ShapeError("embedding: sizes must be positive, got " + std::to_string(vocab_size) +
                     " x " + std::to_string(embedding_size));
  }
  if (padding_id < -1 || padding_id >= vocab_size) {
    throw ShapeError("embedding: padding id " + std::to_string(padding_id) +
                     " is outside a vocabulary of " + std::to_string(vocab_size));
  }
  weight_ = register_parameter("weight", Tensor::zeros({vocab_size, embedding_size}));
}

Tensor Embedding::forward(const Tensor& ids) const {
  return ops::embedding(ids, weight_, padding_id_);
}

void Embedding::reset_parameters(init::Generator& gen) {
  const auto e = embedding_size();
  init_linear_uniform(weight_, e, gen);
  if (padding_id_ >= 0) {
    std::memset(weight_.data<float>() + padding_id_ * e, 0, static_cast<std::size_t>(e) * sizeof(float));
  }
}

}  // namespace recur::nn
