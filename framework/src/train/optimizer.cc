#include "recur/train/optimizer.h"

#include <cmath>

#include "recur/core/error.h"

namespace recur::train {

Optimizer::Optimizer(std::vector<std::pair<std::string, Tensor>> params)
    : params_(std::move(params)) {
  for (const auto& [name, p] : params_) {
    if (p.dtype() != DType::f32) throw ShapeError("optimizer: parameter '" + name + "' is not f32");
  }
}

Optimizer::~Optimizer() = default;

void Optimizer::add_slot(const std::string& kind) {
  slot_kinds_.push_back(kind);
  std::vector<Tensor> s;
  for (const auto& [name, p] : params_) s.push_back(Tensor::zeros(p.shape()));
  slots_.push_back(std::move(s));
}

float* Optimizer::slot(std::size_t kind, std::size_t param) {
  return slots_[kind][param].data<float>();
}

void Optimizer::step(float lr) {
  ++steps_;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    Tensor p = params_[i].second;
    Tensor g = p.grad();
    if (!g.defined()) continue;
    update(i, p.data<float>(), g.data<float>(), p.numel(), lr);
  }
}

std::vector<std::pair<std::string, Tensor>> Optimizer::state() const {
  std::vector<std::pair<std::string, Tensor>> out;
  for (std::size_t k = 0; k < slot_kinds_.size(); ++k) {
    for (std::size_t i = 0; i < params_.size(); ++i) {
      out.emplace_back(slot_kinds_[k] + "." + params_[i].first, slots_[k][i]);
    }
  }
  return out;
}

void Optimizer::load_state(const std::vector<std::pair<std::string, Tensor>>& state,
                           std::int64_t steps) {
  auto expected = this->state();
  if (state.size() != expected.size()) {
    throw IoError("optimizer state has " + std::to_string(state.size()) + " tensors, expected " +
                  std::to_string(expected.size()));
  }
  for (std::size_t j = 0; j < state.size(); ++j) {
    if (state[j].first != expected[j].first || state[j].second.shape() != expected[j].second.shape()) {
      throw IoError("optimizer state tensor '" + state[j].first + "' " +
                    shape_str(state[j].second.shape()) + " does not match '" + expected[j].first +
                    "' " + shape_str(expected[j].second.shape()));
    }
    expected[j].second.copy_from(state[j].second);
  }
  steps_ = steps;
}

namespace {

// Parameters above this many elements are updated by all threads.
constexpr std::int64_t kParallelUpdate = 1 << 15;

class Sgd final : public Optimizer {
 public:
  Sgd(std::vector<std::pair<std::string, Tensor>> params, const SgdOptions& o)
      : Optimizer(std::move(params)), o_(o) {
    if (o_.momentum < 0 || o_.weight_decay < 0) throw Error("sgd: momentum and weight decay must be >= 0");
    if (o_.momentum > 0) add_slot("momentum");
  }

 protected:
  void update(std::size_t i, float* p, const float* g, std::int64_t n, float lr) override {
    float* buf = o_.momentum > 0 ? slot(0, i) : nullptr;
    const bool first = steps() == 1;
    for (std::int64_t k = 0; k < n; ++k) {
      float d = g[k] + o_.weight_decay * p[k];
      if (buf) {
        buf[k] = first ? d : o_.momentum * buf[k] + d;  // torch: no dampening
        d = o_.nesterov ? d + o_.momentum * buf[k] : buf[k];
      }
      p[k] -= lr * d;
    }
  }

 private:
  SgdOptions o_;
};

class Adam final : public Optimizer {
 public:
  Adam(std::vector<std::pair<std::string, Tensor>> params, const AdamOptions& o)
      : Optimizer(std::move(params)), o_(o) {
    add_slot("exp_avg");
    add_slot("exp_avg_sq");
  }

 protected:
  void update(std::size_t i, float* p, const float* g, std::int64_t n, float lr) override {
    float* m = slot(0, i);
    float* v = slot(1, i);
    const double t = static_cast<double>(steps());
    const float bc1 = static_cast<float>(1.0 - std::pow(static_cast<double>(o_.beta1), t));
    const float bc2_sqrt = static_cast<float>(std::sqrt(1.0 - std::pow(static_cast<double>(o_.beta2), t)));
    const float step_size = lr / bc1;
    const float decay = o_.decoupled ? 1.0f - lr * o_.weight_decay : 1.0f;
    const float l2 = o_.decoupled ? 0.0f : o_.weight_decay;
    const float beta1 = o_.beta1, beta2 = o_.beta2, eps = o_.eps;
    // Element by element: the same result on any number of threads.
#pragma omp parallel for simd if (n > kParallelUpdate)
    for (std::int64_t k = 0; k < n; ++k) {
      float gk = g[k] + l2 * p[k];
      m[k] = beta1 * m[k] + (1.0f - beta1) * gk;
      v[k] = beta2 * v[k] + (1.0f - beta2) * gk * gk;
      p[k] = p[k] * decay - step_size * m[k] / (std::sqrt(v[k]) / bc2_sqrt + eps);
    }
  }

 private:
  AdamOptions o_;
};

}  // namespace

std::unique_ptr<Optimizer> make_sgd(std::vector<std::pair<std::string, Tensor>> params,
                                    const SgdOptions& options) {
  return std::make_unique<Sgd>(std::move(params), options);
}

std::unique_ptr<Optimizer> make_adam(std::vector<std::pair<std::string, Tensor>> params,
                                     const AdamOptions& options) {
  return std::make_unique<Adam>(std::move(params), options);
}

}  // namespace recur::train
