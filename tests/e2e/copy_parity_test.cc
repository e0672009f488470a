// Parity of copy attention (pointer-generator) and coverage with the PyTorch reference
// (scripts/reference/recur_copy.py; fixtures by scripts/fixtures/make_copy_fixtures.py):
// for random-weight models with copy and coverage on, teacher-forcing and step log P
// match within 1e-4, the loss (cross-entropy + weighted coverage loss) and every
// non-recurrent parameter's gradient within 1e-4, and greedy and beam-5 outputs of 40
// sentences are token-identical, two of the models searched with no_repeat_ngram and
// coverage_penalty; sampling from log P is batch-invariant and blocks repeated bigrams.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "recur/nn/safetensors.h"
#include "recur/ops/tape.h"
#include "recur/pipeline/pipeline.h"
#include "recur/pipeline/teacher_forcing.h"
#include "recur/plugin/host.h"
#include "search_parity.h"

namespace recur {
namespace {

namespace fs = std::filesystem;
const fs::path kFixtures = RECUR_TEST_DATA_DIR "/fixtures/copy";

using recur::testing::expect_close;

class CopyParity : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    host_.load_search_path({});
    dir_ = kFixtures / GetParam();
    pipeline_ =
        std::make_unique<Pipeline>(Pipeline::load(dir_ / "pipeline.yaml", host_.registry()));
    pipeline_->model().eval();  // no dropout: the reference's eval mode
    expected_ =
        std::make_unique<safetensors::File>(safetensors::File::open(dir_ / "expected.safetensors"));
  }


  // The memory of the expected batch, with its source ids as the tasks set them.
  Memory encode() {
    SourceBatch b;
    b.data = expected_->get("encoder.src").clone();
    for (std::int64_t v : expected_->get("encoder.lengths").to_vector_of<std::int64_t>())
      b.lengths.push_back(v);
    Memory m = pipeline_->encoder().encode(b);
    m.source_ids = b.data;
    return m;
  }

  PluginHost host_;
  fs::path dir_;
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<safetensors::File> expected_;
};

TEST_P(CopyParity, TeacherForcingAndStepLogProbs) {
  autograd::NoGradGuard g;
  Memory m = encode();
  Tensor tgt_in = expected_->get("decoder.tgt_in").clone();
  Tensor forward = pipeline_->decoder().forward(m, tgt_in);  // log P
  expect_close(forward, expected_->get("decoder.forward.log_probs"), 1e-4, 1e-5,
               "forward log-probs");

  const std::int64_t b = forward.dim(0), t = forward.dim(1), v = forward.dim(2),
                     s = m.states.dim(1);
  auto state = pipeline_->decoder().init(m);
  Tensor step_lp = Tensor::zeros({b, t, v});
  Tensor step_att = Tensor::zeros({b, t, s});
  for (std::int64_t k = 0; k < t; ++k) {
    std::vector<std::int64_t> prev;
    for (std::int64_t r = 0; r < b; ++r) prev.push_back(tgt_in.data<std::int64_t>()[r * t + k]);
    StepOutput out = pipeline_->decoder().step(*state, prev);
    for (std::int64_t r = 0; r < b; ++r) {
      std::copy_n(out.log_probs.data<float>() + r * v, v, step_lp.data<float>() + (r * t + k) * v);
      std::copy_n(out.attention.data<float>() + r * s, s, step_att.data<float>() + (r * t + k) * s);
    }
  }
  expect_close(step_lp, expected_->get("decoder.step.log_probs"), 1e-4, 1e-5, "step log-probs");
  expect_close(step_att, expected_->get("decoder.step.attention"), 1e-5, 1e-5, "step attention");
}

TEST_P(CopyParity, LossAndGradientsMatchTheReference) {
  Memory m = encode();
  // The target rows without bos / eos, as the training gives them.
  Tensor tgt_out = expected_->get("decoder.tgt_out");
  std::vector<std::vector<std::int64_t>> targets(static_cast<std::size_t>(tgt_out.dim(0)));
  const std::int64_t pad = pipeline_->target_tokenizer().pad_id(),
                     eos = pipeline_->target_tokenizer().eos_id();
  for (std::int64_t r = 0; r < tgt_out.dim(0); ++r) {
    for (std::int64_t k = 0; k < tgt_out.dim(1); ++k) {
      const std::int64_t id = tgt_out.data<std::int64_t>()[r * tgt_out.dim(1) + k];
      if (id != pad && id != eos) targets[static_cast<std::size_t>(r)].push_back(id);
    }
  }
  std::vector<const std::vector<std::int64_t>*> rows;
  for (const auto& r : targets) rows.push_back(&r);
  for (auto& [name, p] : pipeline_->model().named_parameters()) p.zero_grad();
  train::StepLoss loss =
      teacher_forcing_loss(pipeline_->decoder(), m, pipeline_->target_tokenizer(), rows, 0.0f);
  const double ce = expected_->get("loss.cross_entropy").item(),
               coverage = expected_->get("loss.coverage").item();
  EXPECT_GT(coverage, 0.0);
  EXPECT_NEAR(loss.nll_sum / static_cast<double>(loss.tokens), ce, 1e-4);
  EXPECT_NEAR(pipeline_->decoder().auxiliary_loss().item(), coverage, 1e-5);
  EXPECT_NEAR(loss.loss.item(), ce + coverage, 1e-4);
  loss.loss.backward();
  std::size_t compared = 0;
  for (const auto& [name, p] : pipeline_->model().named_parameters()) {
    if (!expected_->contains("grad." + name)) continue;
    ASSERT_TRUE(p.grad().defined()) << name;
    expect_close(p.grad(), expected_->get("grad." + name), 1e-4, 1e-4, "grad." + name);
    ++compared;
  }
  EXPECT_GE(compared, 10u);
}

TEST_P(CopyParity, GreedyAndBeamOutputsAreTokenIdentical) {
  recur::testing::expect_search_matches_reference(*pipeline_, kFixtures / "sentences.json",
                                                  dir_ / "search.json");
}

// Sampling draws from the step's log P: each row's sample is the same alone as in the
// batch (rows are keyed), and no sample repeats a bigram under no_repeat_ngram: 2.
TEST_P(CopyParity, SamplingIsBatchInvariantAndBlocksRepeats) {
  autograd::NoGradGuard g;
  std::ifstream sj(kFixtures / "sentences.json");
  auto sentences = nlohmann::json::parse(sj);
  auto batch_of = [&](std::size_t first, std::size_t n) {
    std::size_t width = 0;
    for (std::size_t i = first; i < first + n; ++i) {
      width = std::max(width, sentences[i]["source_ids"].size());
    }
    SourceBatch batch;
    batch.data = Tensor::zeros({std::int64_t(n), std::int64_t(width)}, DType::i64);
    std::vector<search::Row> rows;
    for (std::size_t i = first; i < first + n; ++i) {
      auto ids = sentences[i]["source_ids"].get<std::vector<std::int64_t>>();
      std::copy(ids.begin(), ids.end(), batch.data.data<std::int64_t>() + (i - first) * width);
      batch.lengths.push_back(std::int64_t(ids.size()));
      rows.push_back({std::int64_t(ids.size()), i});
    }
    Memory m = pipeline_->encoder().encode(batch);
    m.source_ids = batch.data;
    return std::make_pair(m, rows);
  };
  search::Options o = pipeline_->search_options();
  o.beam_size = 1;
  o.n_best = 1;
  o.sampling = true;
  o.no_repeat_ngram = 2;
  o.seed = 5;
  const std::size_t n = 12;
  auto [memory, rows] = batch_of(0, n);
  auto all = search::decode(pipeline_->decoder(), memory, rows, o);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& ids = all[i][0].ids;
    for (std::size_t a = 0; a + 1 < ids.size(); ++a) {
      for (std::size_t b = a + 1; b + 1 < ids.size(); ++b) {
        EXPECT_FALSE(ids[a] == ids[b] && ids[a + 1] == ids[b + 1]) << "sentence " << i;
      }
    }
    if (i % 4 == 0) {
      auto [one, row] = batch_of(i, 1);
      EXPECT_EQ(search::decode(pipeline_->decoder(), one, row, o)[0][0].ids, ids) << "sentence " << i;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Configurations, CopyParity,
                         ::testing::Values("gru_general", "lstm_mlp_blocking", "gru_dot_blocking"));

}  // namespace
}  // namespace recur
