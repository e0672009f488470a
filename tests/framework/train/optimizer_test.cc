#include "recur/train/optimizer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

namespace recur::train {
namespace {

nlohmann::json fixtures() {
  std::ifstream in(RECUR_TEST_DATA_DIR "/fixtures/optim/optimizers.json");
  return nlohmann::json::parse(in);
}

std::unique_ptr<Optimizer> make(const std::string& name, const nlohmann::json& o, Tensor p) {
  std::vector<std::pair<std::string, Tensor>> params{{"w", p}};
  if (name.rfind("sgd", 0) == 0) {
    SgdOptions s;
    s.momentum = o.value("momentum", 0.0f);
    s.nesterov = o.value("nesterov", false);
    s.weight_decay = o.value("weight_decay", 0.0f);
    return make_sgd(params, s);
  }
  AdamOptions a;
  if (o.contains("betas")) {
    a.beta1 = o["betas"][0];
    a.beta2 = o["betas"][1];
  }
  a.eps = o.value("eps", 1e-8f);
  a.weight_decay = o.value("weight_decay", name == "adamw" ? 0.01f : 0.0f);
  a.decoupled = name == "adamw";
  return make_adam(params, a);
}

// Trajectories of torch.optim (scripts/fixtures/make_optimizer_fixtures.py).
TEST(Optimizer, MatchesTorchTrajectories) {
  auto fx = fixtures();
  auto init = fx["init"].get<std::vector<float>>();
  for (const auto& [name, c] : fx["cases"].items()) {
    Tensor p = Tensor::from({7}, init);
    p.set_requires_grad(true);
    auto opt = make(name, c["options"], p);
    float lr = c["options"]["lr"];
    for (std::size_t s = 0; s < fx["grads"].size(); ++s) {
      p.set_grad(Tensor::from({7}, fx["grads"][s].get<std::vector<float>>()));
      opt->step(lr);
      auto want = c["trajectory"][s].get<std::vector<float>>();
      for (std::size_t k = 0; k < 7; ++k) {
        EXPECT_NEAR(p.item(static_cast<std::int64_t>(k)), want[k], 1e-5) << name << " step " << s << " element " << k;
      }
    }
  }
}

TEST(Optimizer, StateRoundTripContinuesExactly) {
  auto fx = fixtures();
  auto init = fx["init"].get<std::vector<float>>();
  auto grad = [&](std::size_t s) { return Tensor::from({7}, fx["grads"][s].get<std::vector<float>>()); };
  Tensor a = Tensor::from({7}, init);
  auto oa = make_adam({{"w", a}}, AdamOptions{});
  for (std::size_t s = 0; s < 5; ++s) {
    a.set_grad(grad(s));
    oa->step(0.01f);
  }
  Tensor b = Tensor::from({7}, init);
  auto ob = make_adam({{"w", b}}, AdamOptions{});
  for (std::size_t s = 0; s < 2; ++s) {
    b.set_grad(grad(s));
    ob->step(0.01f);
  }
  // "Checkpoint" after two steps into a fresh optimizer over a copy of the parameter.
  Tensor c = b.clone();
  auto oc = make_adam({{"w", c}}, AdamOptions{});
  std::vector<std::pair<std::string, Tensor>> saved;
  for (auto& [n, t] : ob->state()) saved.emplace_back(n, t.clone());
  oc->load_state(saved, ob->steps());
  for (std::size_t s = 2; s < 5; ++s) {
    c.set_grad(grad(s));
    oc->step(0.01f);
  }
  EXPECT_EQ(a.to_vector(), c.to_vector());
  EXPECT_THROW(oc->load_state({}, 1), IoError);
}

TEST(Optimizer, SkipsParametersWithoutGradient) {
  Tensor p = Tensor::from({2}, {1, 2});
  auto o = make_sgd({{"p", p}}, SgdOptions{});
  o->step(1.0f);
  EXPECT_EQ(p.to_vector(), (std::vector<float>{1, 2}));
}

}  // namespace
}  // namespace recur::train
