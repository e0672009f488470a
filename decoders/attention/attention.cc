#include "attention.h"

#include <limits>
#include <string>
#include <utility>

#include "recur/nn/linear.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/embedding.h"
#include "recur/ops/linear.h"
#include "recur/ops/matmul.h"
#include "recur/ops/shape.h"
#include "recur/ops/softmax.h"

namespace recur::decoders {

Attention::Attention(AttentionKind kind, std::int64_t memory_size, std::int64_t hidden_size,
                     std::int64_t attention_size, bool coverage)
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
  if (coverage) {
    w_coverage_ = register_parameter(
        "w_coverage", Tensor::zeros({kind == AttentionKind::mlp ? attention_size : 1}));
  }
}

Tensor Attention::keys(const Tensor& states) const {
  return kind_ == AttentionKind::dot ? states : ops::linear(states, w_key_);
}

AttentionMemory Attention::step_memory(const Tensor& states) const {
  AttentionMemory m{Tensor(), ops::matmul_operand(states)};
  if (kind_ == AttentionKind::dot) {
    m.keys = m.states;  // one tensor, held once
  } else {
    const Tensor k = keys(states);
    m.keys = kind_ == AttentionKind::mlp ? k : ops::matmul_operand(k);
  }
  return m;
}

namespace {

// Row ids that spread keys [B, S, A] and queries [B, T, A] over [B, T, S]: for each
// (b, t, s), row b*S + s of the keys and row b*T + t of the queries.
std::pair<Tensor, Tensor> pair_rows(std::int64_t b, std::int64_t t, std::int64_t s) {
  Tensor key_rows = Tensor::zeros({b, t, s}, DType::i64);
  Tensor query_rows = Tensor::zeros({b, t, s}, DType::i64);
  std::int64_t* k = key_rows.data<std::int64_t>();
  std::int64_t* q = query_rows.data<std::int64_t>();
  for (std::int64_t i = 0; i < b; ++i) {
    for (std::int64_t j = 0; j < t; ++j) {
      for (std::int64_t m = 0; m < s; ++m, ++k, ++q) {
        *k = i * s + m;
        *q = i * t + j;
      }
    }
  }
  return {key_rows, query_rows};
}

}  // namespace

Tensor Attention::scores(const Tensor& h, const Tensor& keys, const Tensor& coverage) const {
  if (kind_ != AttentionKind::mlp) {
    Tensor score = ops::matmul(h, keys, false, true);
    return coverage.defined() ? ops::add(score, ops::mul(coverage, w_coverage_)) : score;
  }
  const std::int64_t b = h.dim(0), t = h.dim(1), s = keys.dim(1), a = keys.dim(2);
  Tensor q = ops::linear(h, w_query_, b_query_);  // [B, T, A]
  Tensor sum;
  if (t == 1) {
    // [B, 1, S, A] + [B, 1, 1, A]: a broadcast oneDNN's binary kernels handle fast.
    sum = ops::add(ops::unsqueeze(keys, 1), ops::unsqueeze(q, 2));
  } else {
    // keys[:, None] + q[:, :, None] would broadcast both operands, which oneDNN 2.6 runs
    // (and reduces in backward) with its reference kernels, 10-20x slower than
    // gathering both to [B, T, S, A]. Both sums are exact, so step() agrees bit for bit.
    auto [key_rows, query_rows] = pair_rows(b, t, s);
    sum = ops::add(ops::embedding(key_rows, ops::reshape(keys, {b * s, a})),
                   ops::embedding(query_rows, ops::reshape(q, {b * t, a})));
  }
  if (coverage.defined()) {  // + c [B, T, S, 1] w_coverage [A], as a linear layer
    Tensor c = ops::linear(ops::unsqueeze(coverage, 3), ops::reshape(w_coverage_, {a, 1}));
    sum = ops::add(sum, c);
  }
  Tensor score = ops::linear(ops::tanh(sum), ops::reshape(v_, {1, a}));  // [B, T, S, 1]
  return ops::reshape(score, {b, t, s});
}

AttentionOutput Attention::forward(const Tensor& h, const Tensor& keys, const Tensor& states,
                                   const Tensor& padding, const Tensor& coverage) const {
  if (coverage.defined() != this->coverage()) {
    throw ShapeError(std::string("attention: coverage ") +
                     (coverage.defined() ? "given to attention without coverage" : "missing"));
  }
  Tensor s = ops::masked_fill(scores(h, keys, coverage), padding,
                              -std::numeric_limits<float>::infinity());
  AttentionOutput out;
  out.weights = ops::softmax(s, -1);
  out.context = ops::matmul(out.weights, states);
  return out;
}

void Attention::reset_parameters(nn::init::Generator& gen) {
  if (kind_ != AttentionKind::dot) nn::init_linear_uniform(w_key_, w_key_.dim(1), gen);
  if (kind_ == AttentionKind::mlp) {
    nn::init_linear_uniform(w_query_, w_query_.dim(1), gen);
    nn::init_linear_uniform(b_query_, w_query_.dim(1), gen);
    nn::init_linear_uniform(v_, v_.dim(0), gen);
  }
  if (coverage()) nn::init_linear_uniform(w_coverage_, 1, gen);  // a linear layer from c
}

}  // namespace recur::decoders
