#include "recur/ops/tape.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "recur/ops/elementwise.h"

namespace recur::autograd {

namespace {

thread_local bool t_grad_enabled = true;
std::atomic<std::uint64_t> g_sequence{0};

class FunctionNode final : public Node {
 public:
  FunctionNode(const char* name, BackwardFn fn) : name_(name), fn_(std::move(fn)) {}
  std::vector<Tensor> backward(const std::vector<Tensor>& grad_outputs) override {
    return fn_(grad_outputs);
  }
  const char* name() const override { return name_; }

 private:
  const char* name_;
  BackwardFn fn_;
};

}  // namespace

bool grad_enabled() { return t_grad_enabled; }

NoGradGuard::NoGradGuard() : previous_(t_grad_enabled) { t_grad_enabled = false; }
NoGradGuard::~NoGradGuard() { t_grad_enabled = previous_; }

bool needs_grad(std::initializer_list<const Tensor*> inputs) {
  if (!t_grad_enabled) return false;
  for (const Tensor* t : inputs) {
    if (t && t->requires_grad()) return true;
  }
  return false;
}

bool needs_grad(const std::vector<Tensor>& inputs) {
  if (!t_grad_enabled) return false;
  return std::any_of(inputs.begin(), inputs.end(),
                     [](const Tensor& t) { return t.requires_grad(); });
}

void record(const char* name, const std::vector<Tensor>& inputs,
            const std::vector<Tensor*>& outputs, BackwardFn fn) {
  if (!needs_grad(inputs)) return;
  auto node = std::make_shared<FunctionNode>(name, std::move(fn));
  node->inputs = inputs;
  node->sequence = g_sequence.fetch_add(1, std::memory_order_relaxed);
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const auto& impl = outputs[i]->impl_ptr();
    node->output_shapes.push_back(impl->shape);
    impl->requires_grad = true;
    impl->grad_fn = node;
    impl->output_index = i;
  }
}

namespace {

// Whether nothing but the caller's one reference reads `t`'s bytes: its tensor and its
// storage referenced once, the whole of storage recur allocated, no graph behind it.
bool sole_owner(const Tensor& t) {
  const std::shared_ptr<TensorImpl>& impl = t.impl_ptr();
  return impl.use_count() == 1 && impl->storage && impl->storage.use_count() == 1 && impl->offset == 0 &&
         impl->storage->nbytes() == t.nbytes() && impl->storage->owns_data() && !impl->grad_fn;
}

}  // namespace

// The first gradient to reach a slot becomes it as it is when nothing else holds it (most
// backward results: a copy would cost a pass over fresh memory, tens of megabytes a
// training step); otherwise a copy, since later gradients are added into the slot.
void accumulate(std::shared_ptr<TensorImpl>& dst, const Tensor& src) {
  if (!dst) {
    dst = sole_owner(src) ? src.impl_ptr() : src.clone().impl_ptr();
    return;
  }
  Tensor d(dst);
  if (d.shape() != src.shape()) {
    throw ShapeError("gradient of shape " + shape_str(src.shape()) +
                     " accumulated into " + shape_str(d.shape()));
  }
  ops::add_inplace(d, src);
}

void backward(const Tensor& root) {
  if (!root.defined() || root.numel() != 1) {
    throw ShapeError("backward() needs a tensor with one element, got " +
                     (root.defined() ? shape_str(root.shape()) : std::string("undefined")));
  }
  if (!root.requires_grad()) {
    throw Error("backward(): the tensor does not require a gradient (nothing was recorded)");
  }
  NoGradGuard no_grad;
  Tensor seed = Tensor::full(root.shape(), 1.0f);
  if (!root.grad_fn()) {  // a leaf
    auto impl = root.impl_ptr();
    accumulate(impl->grad, seed);
    return;
  }

  // Collect the nodes reachable from the root.
  std::unordered_set<Node*> seen;
  std::vector<std::shared_ptr<Node>> nodes;
  std::vector<std::shared_ptr<Node>> stack{root.grad_fn()};
  while (!stack.empty()) {
    auto n = std::move(stack.back());
    stack.pop_back();
    if (!seen.insert(n.get()).second) continue;
    for (const Tensor& in : n->inputs) {
      if (in.defined() && in.grad_fn()) stack.push_back(in.grad_fn());
    }
    nodes.push_back(std::move(n));
  }
  // A node's outputs are created after its inputs, so decreasing creation order is a
  // topological order of the reversed graph.
  std::sort(nodes.begin(), nodes.end(),
            [](const auto& a, const auto& b) { return a->sequence > b->sequence; });

  std::unordered_map<Node*, std::vector<std::shared_ptr<TensorImpl>>> grads;
  grads[root.grad_fn().get()].resize(root.grad_fn()->output_shapes.size());
  grads[root.grad_fn().get()][root.output_index()] = seed.impl_ptr();

  for (const auto& node : nodes) {
    auto it = grads.find(node.get());
    if (it == grads.end()) continue;  // nothing flowed here
    std::vector<Tensor> grad_outputs;
    grad_outputs.reserve(node->output_shapes.size());
    for (std::size_t i = 0; i < node->output_shapes.size(); ++i) {
      std::shared_ptr<TensorImpl> g = i < it->second.size() ? it->second[i] : nullptr;
      grad_outputs.push_back(g ? Tensor(g) : Tensor::zeros(node->output_shapes[i]));
    }
    grads.erase(it);
    std::vector<Tensor> grad_inputs = node->backward(grad_outputs);
    // Let go of the incoming gradients, so that one passed through (a reshape's view of
    // it, or itself) is held by nobody else and can be taken over below.
    grad_outputs.clear();
    if (grad_inputs.size() != node->inputs.size()) {
      throw Error(std::string("backward of ") + node->name() + " returned " +
                  std::to_string(grad_inputs.size()) + " gradients for " +
                  std::to_string(node->inputs.size()) + " inputs");
    }
    for (std::size_t i = 0; i < grad_inputs.size(); ++i) {
      const Tensor& in = node->inputs[i];
      const Tensor g = std::move(grad_inputs[i]);  // one gradient for two inputs: the second takes it
      if (!g.defined() || !in.defined() || !in.requires_grad()) continue;
      if (g.shape() != in.shape()) {
        throw ShapeError(std::string("backward of ") + node->name() + ": gradient " +
                         shape_str(g.shape()) + " for input " + std::to_string(i) +
                         " of shape " + shape_str(in.shape()));
      }
      if (in.grad_fn()) {
        auto& slots = grads[in.grad_fn().get()];
        slots.resize(in.grad_fn()->output_shapes.size());
        accumulate(slots[in.output_index()], g);
      } else {
        auto impl = in.impl_ptr();
        accumulate(impl->grad, g);
      }
    }
    node->inputs.clear();  // release the graph as we go
  }
}

}  // namespace recur::autograd

namespace recur {
void Tensor::backward() const { autograd::backward(*this); }
}  // namespace recur
