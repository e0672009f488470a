#include "recur/nn/module.h"

#include <gtest/gtest.h>

namespace recur::nn {
namespace {

class Linear : public Module {
 public:
  Linear(std::int64_t in, std::int64_t out)
      : weight(register_parameter("weight", Tensor::zeros({out, in}))),
        bias(register_parameter("bias", Tensor::zeros({out}))) {}
  Tensor weight, bias;
};

class Block : public Module {
 public:
  Block() : proj(2, 3) {
    register_module("proj", proj);
    running = register_buffer("running", Tensor::zeros({3}));
  }
  Linear proj;
  Tensor running;
};

class Net : public Module {
 public:
  Net() : first(4, 2) {
    scale = register_parameter("scale", Tensor::ones({1}));
    register_module("first", first);
    register_module("block", block);
    steps = register_buffer("steps", Tensor::zeros({1}, DType::i64));
  }
  Tensor scale, steps;
  Linear first;
  Block block;
};

std::vector<std::string> names(const std::vector<std::pair<std::string, Tensor>>& named) {
  std::vector<std::string> out;
  for (const auto& [name, t] : named) out.push_back(name);
  return out;
}

TEST(Module, NamesAreDottedDepthFirstInRegistrationOrder) {
  Net net;
  EXPECT_EQ(names(net.named_parameters()),
            (std::vector<std::string>{"scale", "first.weight", "first.bias", "block.proj.weight",
                                      "block.proj.bias"}));
  EXPECT_EQ(names(net.named_buffers()), (std::vector<std::string>{"steps", "block.running"}));
}

TEST(Module, HandlesAreTheRegisteredTensors) {
  Net net;
  auto named = net.named_parameters();
  EXPECT_TRUE(named[1].second.same(net.first.weight));
  EXPECT_TRUE(named[4].second.same(net.block.proj.bias));
  EXPECT_TRUE(net.named_buffers()[1].second.same(net.block.running));
  auto params = net.parameters();
  ASSERT_EQ(params.size(), named.size());
  for (std::size_t i = 0; i < params.size(); ++i) EXPECT_TRUE(params[i].same(named[i].second));
}

TEST(Module, ParametersRequireGradBuffersDoNot) {
  Net net;
  for (const auto& [name, t] : net.named_parameters()) EXPECT_TRUE(t.requires_grad()) << name;
  for (const auto& [name, t] : net.named_buffers()) EXPECT_FALSE(t.requires_grad()) << name;
}

TEST(Module, ParameterCountSumsElementsOfParametersOnly) {
  Net net;
  // scale 1 + first 4*2+2 + block.proj 2*3+3; buffers are not counted.
  EXPECT_EQ(net.parameter_count(), 1 + 10 + 9);
  EXPECT_EQ(Block().parameter_count(), 9);
}

TEST(Module, TrainAndEvalPropagateToEveryDescendant) {
  Net net;
  EXPECT_TRUE(net.training());
  EXPECT_TRUE(net.block.proj.training());
  net.eval();
  EXPECT_FALSE(net.training());
  EXPECT_FALSE(net.first.training());
  EXPECT_FALSE(net.block.training());
  EXPECT_FALSE(net.block.proj.training());
  net.block.train();  // a subtree can be switched alone
  EXPECT_FALSE(net.training());
  EXPECT_TRUE(net.block.proj.training());
  net.train(true);
  EXPECT_TRUE(net.first.training());
}

TEST(Module, ZeroGradClearsEveryGradient) {
  Net net;
  for (auto& t : net.parameters()) t.set_grad(Tensor::ones(t.shape()));
  EXPECT_TRUE(net.block.proj.weight.grad().defined());
  net.zero_grad();
  for (const auto& [name, t] : net.named_parameters()) EXPECT_FALSE(t.grad().defined()) << name;
}

class BadNames : public Module {
 public:
  void add(const std::string& name) { register_parameter(name, Tensor::zeros({1})); }
  void add_buffer(const std::string& name) { register_buffer(name, Tensor::zeros({1})); }
  void add_module(const std::string& name, Module& m) { register_module(name, m); }
};

TEST(Module, RejectsEmptyAndDottedNames) {
  BadNames m;
  Linear child(1, 1);
  EXPECT_THROW(m.add(""), Error);
  EXPECT_THROW(m.add("a.b"), Error);
  EXPECT_THROW(m.add_buffer("x.y"), Error);
  EXPECT_THROW(m.add_module("c.d", child), Error);
  EXPECT_NO_THROW(m.add("ok"));
  EXPECT_EQ(m.parameter_count(), 1);
}

}  // namespace
}  // namespace recur::nn

namespace recur::nn {
namespace {

class RngChild : public Module {};
class RngParent : public Module {
 public:
  RngParent() { register_module("child", child); }
  RngChild child;
};

TEST(ModuleRng, ChildrenShareTheRootStreamAndSeedingRepeatsIt) {
  RngParent p;
  p.seed(7);
  const auto a = p.child.rng()();
  const auto b = p.rng()();
  p.seed(7);
  EXPECT_EQ(p.rng()(), a);  // one stream: the child's draw came from it
  EXPECT_EQ(p.child.rng()(), b);
}

}  // namespace
}  // namespace recur::nn
