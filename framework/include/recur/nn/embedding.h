// Embedding table as a Module: parameter `weight` [V, E]; forward gathers rows by id. The
// padding row gets no gradient (ops::embedding's padding_id).
#pragma once

#include <cstdint>

#include "recur/core/tensor.h"
#include "recur/nn/init.h"
#include "recur/nn/module.h"

namespace recur::nn {

class Embedding final : public Module {
 public:
  // padding_id in [0, V), or -1 for none.
  Embedding(std::int64_t vocab_size, std::int64_t embedding_size, std::int64_t padding_id);

  // ids: i64 of any shape -> [ids..., E].
  Tensor forward(const Tensor& ids) const;

  // U(-1/sqrt(E), 1/sqrt(E)) (torch's default for a [V, E] weight read as a linear
  // layer, which makes a tied output projection start like an untied one); the padding
  // row is zero, as in torch.
  void reset_parameters(init::Generator& gen);

  const Tensor& weight() const { return weight_; }
  std::int64_t vocab_size() const { return weight_.dim(0); }
  std::int64_t embedding_size() const { return weight_.dim(1); }
  std::int64_t padding_id() const { return padding_id_; }

 private:
  Tensor weight_;
  std::int64_t padding_id_;
};

}  // namespace recur::nn
