#include "classifier_head.h"

#include <algorithm>

#include "recur/core/error.h"
#include "recur/nn/init.h"
#include "recur/ops/dropout.h"
#include "recur/ops/elementwise.h"
#include "recur/ops/matmul.h"
#include "recur/ops/reduce.h"
#include "recur/ops/shape.h"
#include "recur/ops/softmax.h"

namespace recur::tasks {

namespace {

// Below any real activation: padded positions never win a max or get attention.
constexpr float kMasked = -1e9f;

Pooling parse_pooling(const std::string& name) {
  if (name == "mean") return Pooling::mean;
  if (name == "max") return Pooling::max;
  if (name == "attention") return Pooling::attention;
  return Pooling::last;
}

// 1 at padding, 0 at real positions, [B, S].
Tensor padding_mask(const Memory& m) { return ops::add_scalar(ops::scale(m.mask, -1.0f), 1.0f); }

}  // namespace

ClassifierSettings parse_classifier_settings(const config::Section& s) {
  ClassifierSettings c;
  c.pooling = parse_pooling(s.one_of("pooling", {"last", "mean", "max", "attention"}, std::string("last")));
  c.attention_size = s.non_negative<std::int64_t>("attention_size", 0);
  c.hidden_size = s.non_negative<std::int64_t>("hidden_size", 0);
  c.dropout = static_cast<float>(s.in_range("dropout", 0.0, 0.99, 0.2));
  c.seed = static_cast<std::uint64_t>(s.non_negative<std::int64_t>("seed", 1));
  if (c.pooling != Pooling::attention && s.has("attention_size")) {
    s.fail("attention_size", "is only read with pooling: attention");
  }
  s.finish();
  return c;
}

ClassifierHead::ClassifierHead(const ClassifierSettings& settings, std::int64_t memory_size,
                               std::int64_t summary_size, std::int64_t classes)
    : settings_(settings),
      output_(settings.hidden_size > 0 ? settings.hidden_size
              : settings.pooling == Pooling::last ? summary_size
                                                  : memory_size,
              classes) {
  if (classes < 2) throw Error("classifier: needs at least 2 classes, got " + std::to_string(classes));
  nn::init::Generator gen(settings.seed);
  const std::int64_t pooled = settings.pooling == Pooling::last ? summary_size : memory_size;
  if (settings.pooling == Pooling::attention) {
    const std::int64_t a = settings.attention_size > 0 ? settings.attention_size : memory_size;
    attention_ = std::make_unique<nn::Linear>(memory_size, a);
    query_ = std::make_unique<nn::Linear>(a, 1, false);
    attention_->reset_parameters(gen);
    query_->reset_parameters(gen);
    register_module("attention", *attention_);
    register_module("query", *query_);
  }
  if (settings.hidden_size > 0) {
    hidden_ = std::make_unique<nn::Linear>(pooled, settings.hidden_size);
    hidden_->reset_parameters(gen);
    register_module("hidden", *hidden_);
  }
  output_.reset_parameters(gen);
  register_module("output", output_);
}

ClassifierHead::Pooled ClassifierHead::pool(const Memory& m) const {
  switch (settings_.pooling) {
    case Pooling::last:
      return {m.summary, Tensor()};
    case Pooling::mean: {
      // Padded states are zero: the sum over S is the sum over real positions.
      Tensor count = ops::sum(m.mask, 1, true);  // [B, 1]
      Tensor inverse = Tensor::empty(count.shape());
      for (std::int64_t b = 0; b < count.numel(); ++b) {
        inverse.data<float>()[b] = 1.0f / std::max(count.data<float>()[b], 1.0f);
      }
      return {ops::mul(ops::sum(m.states, 1), inverse), Tensor()};
    }
    case Pooling::max:
      return {ops::max(ops::masked_fill(m.states, ops::unsqueeze(padding_mask(m), 2), kMasked), 1), Tensor()};
    case Pooling::attention: {
      const std::int64_t b = m.states.dim(0), s = m.states.dim(1);
      Tensor scores = ops::reshape(query_->forward(ops::tanh(attention_->forward(m.states))), {b, s});
      Tensor weights = ops::softmax(ops::masked_fill(scores, padding_mask(m), kMasked), -1);  // [B, S]
      Tensor context = ops::matmul(ops::reshape(weights, {b, 1, s}), m.states);  // [B, 1, H]
      return {ops::reshape(context, {b, m.states.dim(2)}), weights};
    }
  }
  throw Error("classifier: unknown pooling");
}

Tensor ClassifierHead::forward(const Memory& memory) {
  Tensor x = ops::dropout(pool(memory).vector, settings_.dropout, rng(), training());
  if (hidden_) x = ops::dropout(ops::tanh(hidden_->forward(x)), settings_.dropout, rng(), training());
  return output_.forward(x);
}

}  // namespace recur::tasks
