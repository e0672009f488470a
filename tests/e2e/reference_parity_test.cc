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

namespace recur {
namespace {

namespace fs = std::filesystem;
const fs::path kFixtures = RECUR_TEST_DATA_DIR "/fixtures/seq2seq";

class ReferenceParity : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    host_.load_search_path({});
    dir_ = kFixtures / GetParam();
    pipeline_ = std::make_unique<Pipeline>(Pipeline::load(dir_ / "pipeline.yaml", host_.registry()));
    expected_ = std::make_unique<safetensors::File>(safetensors::File::open(dir_ / "expected.safetensors"));
  }

  // |a - b| <= atol + rtol |b| for every element.
  static void expect_close(const Tensor& got, const Tensor& want, double atol, double rtol, const std::string& what) {
    ASSERT_EQ(got.shape(), want.shape()) << what;
    auto g = got.to_vector();
    auto w = want.to_vector();
    double worst = 0;
    for (std::size_t i = 0; i < g.size(); ++i) {
      const double err = std::abs(double(g[i]) - double(w[i]));
      worst = std::max(worst, err);
      ASSERT_LE(err, atol + rtol * std::abs(double(w[i]))) << what << " element " << i << ": " << g[i] << " vs " << w[i];
    }
    RecordProperty(what + "_max_abs_error", std::to_string(worst));
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
  autograd::NoGradGuard g;
  std::ifstream sj(kFixtures / "sentences.json");
  auto sentences = nlohmann::json::parse(sj);
  std::ifstream rj(dir_ / "search.json");
  auto ref = nlohmann::json::parse(rj);

  const std::size_t n = sentences.size();
  std::size_t width = 0;
  for (const auto& s : sentences) width = std::max(width, s["source_ids"].size());
  SourceBatch batch;
  batch.data = Tensor::zeros({std::int64_t(n), std::int64_t(width)}, DType::i64);
  std::vector<search::Row> rows;
  for (std::size_t i = 0; i < n; ++i) {
    auto ids = sentences[i]["source_ids"].get<std::vector<std::int64_t>>();
    std::copy(ids.begin(), ids.end(), batch.data.data<std::int64_t>() + i * width);
    batch.lengths.push_back(std::int64_t(ids.size()));
    rows.push_back({std::int64_t(ids.size()), i});
  }
  Memory m = pipeline_->encoder().encode(batch);

  search::Options greedy = pipeline_->search_options();
  greedy.beam_size = 1;
  greedy.n_best = 1;
  auto g1 = search::decode(pipeline_->decoder(), m, rows, greedy);
  auto b5 = search::decode(pipeline_->decoder(), m, rows, pipeline_->search_options());
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(g1[i][0].ids, ref["greedy"][i]["ids"].get<std::vector<std::int64_t>>()) << "greedy, sentence " << i;
    EXPECT_NEAR(g1[i][0].score, ref["greedy"][i]["score"].get<double>(), 1e-4 * std::abs(ref["greedy"][i]["score"].get<double>()) + 1e-5);
    ASSERT_EQ(b5[i].size(), ref["beam"][i].size()) << "beam, sentence " << i;
    for (std::size_t k = 0; k < b5[i].size(); ++k) {
      EXPECT_EQ(b5[i][k].ids, ref["beam"][i][k]["ids"].get<std::vector<std::int64_t>>()) << "beam, sentence " << i << " hypothesis " << k;
      const double want = ref["beam"][i][k]["score"].get<double>();
      EXPECT_NEAR(b5[i][k].score, want, 1e-4 * std::abs(want) + 1e-5);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Configurations, ReferenceParity,
                         ::testing::Values("gru_general", "lstm_mlp", "gru_dot", "lstm2_tied",
                                           "rnn_general"));

}  // namespace
}  // namespace recur
