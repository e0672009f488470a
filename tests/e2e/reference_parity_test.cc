// Parity with the PyTorch reference (scripts/reference/, fixtures written by
// scripts/fixtures/make_seq2seq_fixtures.py): for random-weight models of five
// configurations (rnn_general: tanh RNN encoder and decoder), recur's encoder memory,
// teacher-forcing and step-by-step log-probs match within 1e-4, and greedy and beam-5
// outputs of 50 sentences are token-identical.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "recur/nn/safetensors.h"
#include "recur/ops/tape.h"
#include "recur/pipeline/pipeline.h"
#include "recur/plugin/host.h"
#include "search_parity.h"

namespace recur {
namespace {

namespace fs = std::filesystem;
const fs::path kFixtures = RECUR_TEST_DATA_DIR "/fixtures/seq2seq";

using recur::testing::expect_close;

class ReferenceParity : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    host_.load_search_path({});
    dir_ = kFixtures / GetParam();
    pipeline_ = std::make_unique<Pipeline>(Pipeline::load(dir_ / "pipeline.yaml", host_.registry()));
    expected_ = std::make_unique<safetensors::File>(safetensors::File::open(dir_ / "expected.safetensors"));
  }


  Memory encode() {
    SourceBatch b;
    b.data = expected_->get("encoder.src").clone();
    for (std::int64_t v : expected_->get("encoder.lengths").to_vector_of<std::int64_t>()) b.lengths.push_back(v);
    return pipeline_->encoder().encode(b);
  }

  PluginHost host_;
  fs::path dir_;
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<safetensors::File> expected_;
};

TEST_P(ReferenceParity, EncoderMemory) {
  autograd::NoGradGuard g;
  Memory m = encode();
  expect_close(m.states, expected_->get("memory.states"), 1e-5, 1e-5, "memory.states");
  expect_close(m.mask, expected_->get("memory.mask"), 0, 0, "memory.mask");
  expect_close(m.summary, expected_->get("memory.summary"), 1e-5, 1e-5, "memory.summary");
}

TEST_P(ReferenceParity, TeacherForcingAndStepLogProbs) {
  autograd::NoGradGuard g;
  Memory m = encode();
  Tensor tgt_in = expected_->get("decoder.tgt_in").clone();
  Tensor logits = pipeline_->decoder().forward(m, tgt_in);
  // log_softmax of the logits, row by row.
  const std::int64_t b = logits.dim(0), t = logits.dim(1), v = logits.dim(2);
  Tensor lp = Tensor::zeros({b, t, v});
  const float* l = logits.data<float>();
  float* o = lp.data<float>();
  for (std::int64_t r = 0; r < b * t; ++r) {
    double mx = -1e30, z = 0;
    for (std::int64_t k = 0; k < v; ++k) mx = std::max(mx, double(l[r * v + k]));
    for (std::int64_t k = 0; k < v; ++k) z += std::exp(double(l[r * v + k]) - mx);
    for (std::int64_t k = 0; k < v; ++k) o[r * v + k] = float(double(l[r * v + k]) - mx - std::log(z));
  }
  expect_close(lp, expected_->get("decoder.forward.log_probs"), 1e-4, 1e-5, "forward log-probs");

  auto state = pipeline_->decoder().init(m);
  Tensor step_lp = Tensor::zeros({b, t, v});
  Tensor step_att = Tensor::zeros({b, t, m.states.dim(1)});
  for (std::int64_t s = 0; s < t; ++s) {
    std::vector<std::int64_t> prev;
    for (std::int64_t r = 0; r < b; ++r) prev.push_back(tgt_in.data<std::int64_t>()[r * t + s]);
    StepOutput out = pipeline_->decoder().step(*state, prev);
    for (std::int64_t r = 0; r < b; ++r) {
      std::copy_n(out.log_probs.data<float>() + r * v, v, step_lp.data<float>() + (r * t + s) * v);
      std::copy_n(out.attention.data<float>() + r * step_att.dim(2), step_att.dim(2),
                  step_att.data<float>() + (r * t + s) * step_att.dim(2));
    }
  }
  expect_close(step_lp, expected_->get("decoder.step.log_probs"), 1e-4, 1e-5, "step log-probs");
  expect_close(step_att, expected_->get("decoder.step.attention"), 1e-5, 1e-5, "step attention");
}

TEST_P(ReferenceParity, GreedyAndBeamOutputsAreTokenIdentical) {
  recur::testing::expect_search_matches_reference(*pipeline_, kFixtures / "sentences.json",
                                                  dir_ / "search.json");
}

INSTANTIATE_TEST_SUITE_P(Configurations, ReferenceParity,
                         ::testing::Values("gru_general", "lstm_mlp", "gru_dot", "lstm2_tied",
                                           "rnn_general"));

}  // namespace
}  // namespace recur
