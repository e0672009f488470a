// Parity of the whole captioning model with the PyTorch reference
// (tests/data/fixtures/caption/, scripts/fixtures/make_caption_fixtures.py: a tiny cnn +
// gru model trained on synthetic shapes): teacher-forcing log-probs in evaluation mode,
// the teacher-forcing loss and its gradient w.r.t. every parameter in training mode
// (batch statistics), and greedy and beam-5 captions of 16 images, token-identical.
//
// The model folder is built by Pipeline::load from its pipeline.yaml, as `recur caption`
// does, through a registry holding the captioning task, the cnn encoder, the gru decoder
// and the whitespace tokenizer, linked in directly. The YAML names the opencv
// preprocessor (so the folder works with `recur caption`); the test registers a stand-in
// under that name that reads no image: it feeds the fixture's image tensors to the
// encoder itself, so the test needs neither OpenCV nor image files.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "attention_decoder.h"
#include "caption_task.h"
#include "cnn_encoder.h"
#include "encoders/cnn/caption_fixture.h"
#include "recur/config/section.h"
#include "recur/ops/tape.h"
#include "recur/pipeline/pipeline.h"
#include "recur/pipeline/teacher_forcing.h"
#include "recur/search/search.h"
#include "vocab_tokenizer.h"

namespace recur {
namespace {

using recur::testing::expect_close;
using recur::testing::kCaptionFixtures;

// Accepts the opencv preprocessor's settings without reading them; decodes nothing.
class NoImages final : public Preprocessor {
 public:
  Tensor load(const std::filesystem::path& file) const override {
    throw IoError(file.string() + ": this test reads no images");
  }
  Tensor decode(std::span<const std::byte>, const std::string& name) const override {
    throw IoError(name + ": this test reads no images");
  }
};

Registry caption_registry() {
  Registry registry;
  PluginRegistrar r(registry, "caption_parity_test", "caption_parity_test.cc");
  r.add<Task>("captioning", &tasks::caption_task_factory);
  r.add<Encoder>("cnn", &encoders::cnn_factory);
  r.add<Decoder>("gru", &decoders::gru_decoder_factory);
  r.add<Tokenizer>("whitespace", &plugins::whitespace_tokenizer_factory);
  r.add<Preprocessor>("opencv", [](const config::Section&, const BuildContext&) {
    return std::make_unique<NoImages>();
  });
  return registry;
}

// Rows [first, first + n) of an [N, ...] tensor, copied.
Tensor rows(const Tensor& t, std::int64_t first, std::int64_t n) {
  Shape shape = t.shape();
  const std::int64_t row = t.numel() / shape[0];
  shape[0] = n;
  Tensor out = Tensor::zeros(shape, t.dtype());
  const std::size_t bytes = t.numel() ? t.nbytes() / static_cast<std::size_t>(t.numel()) : 0;
  std::memcpy(out.raw_data(), static_cast<const std::byte*>(t.raw_data()) + first * row * bytes,
              static_cast<std::size_t>(n * row) * bytes);
  return out;
}

Tensor log_softmax_rows(const Tensor& logits) {
  const std::int64_t v = logits.dim(-1), n = logits.numel() / v;
  Tensor out = Tensor::zeros(logits.shape());
  const float* l = logits.data<float>();
  float* o = out.data<float>();
  for (std::int64_t r = 0; r < n; ++r) {
    double mx = -1e30, z = 0;
    for (std::int64_t k = 0; k < v; ++k) mx = std::max(mx, double(l[r * v + k]));
    for (std::int64_t k = 0; k < v; ++k) z += std::exp(double(l[r * v + k]) - mx);
    for (std::int64_t k = 0; k < v; ++k) {
      o[r * v + k] = float(double(l[r * v + k]) - mx - std::log(z));
    }
  }
  return out;
}

class CaptionParity : public ::testing::Test {
 protected:
  Memory encode(std::int64_t first, std::int64_t n) {
    SourceBatch b;
    b.data = rows(expected_.get("images"), first, n);
    return pipeline_.encoder().encode(b);
  }

  Registry registry_ = caption_registry();
  Pipeline pipeline_ = Pipeline::load(kCaptionFixtures / "pipeline.yaml", registry_);
  safetensors::File expected_ = safetensors::File::open(kCaptionFixtures / "expected.safetensors");
};

TEST_F(CaptionParity, TeacherForcingLogProbsMatchTorch) {
  autograd::NoGradGuard no_grad;
  Memory m = encode(0, 4);
  Tensor logits = pipeline_.decoder().forward(m, expected_.get("tgt_in").clone());
  expect_close(log_softmax_rows(logits), expected_.get("model.log_probs"), 1e-4, 1e-5, "log-probs");
}

TEST_F(CaptionParity, LossAndGradientsOfEveryParameterMatchTorch) {
  const Tensor targets = expected_.get("targets");
  const auto lengths = expected_.get("target_lengths").to_vector_of<std::int64_t>();
  std::vector<std::vector<std::int64_t>> ids(lengths.size());
  for (std::size_t b = 0; b < lengths.size(); ++b) {
    const std::int64_t* row = targets.data<std::int64_t>() + b * targets.dim(1);
    ids[b].assign(row, row + lengths[b]);
  }
  std::vector<const std::vector<std::int64_t>*> row_ptrs;
  for (const auto& r : ids) row_ptrs.push_back(&r);

  Model& model = pipeline_.model();
  model.train();
  model.zero_grad();
  Memory m = encode(0, 4);
  train::StepLoss loss = teacher_forcing_loss(pipeline_.decoder(), m, pipeline_.target_tokenizer(),
                                              row_ptrs, 0.0f);
  loss.loss.backward();
  expect_close(loss.loss.view({1}), expected_.get("model.loss"), 1e-5, 1e-5, "loss");
  int checked = 0;
  for (const auto& [name, p] : model.named_parameters()) {
    ASSERT_TRUE(p.grad().defined()) << name;
    expect_close(p.grad(), expected_.get("model.grad." + name), 1e-4, 1e-4, "grad " + name);
    ++checked;
  }
  EXPECT_EQ(checked, 20);  // 9 encoder + 11 decoder parameters
}

TEST_F(CaptionParity, GreedyAndBeamCaptionsAreTokenIdentical) {
  autograd::NoGradGuard no_grad;
  std::ifstream in(kCaptionFixtures / "captions.json");
  const auto want = nlohmann::json::parse(in);
  const std::int64_t n = expected_.get("images").dim(0);
  ASSERT_EQ(n, static_cast<std::int64_t>(want["greedy"].size()));
  Memory m = encode(0, n);
  std::vector<search::Row> search_rows;
  for (std::int64_t i = 0; i < n; ++i) search_rows.emplace_back(m.states.dim(1), i);

  search::Options beam = pipeline_.search_options();
  ASSERT_EQ(beam.beam_size, 5);
  ASSERT_EQ(beam.n_best, 5);
  search::Options greedy = beam;
  greedy.beam_size = 1;
  greedy.n_best = 1;
  auto g1 = search::decode(pipeline_.decoder(), m, search_rows, greedy);
  auto b5 = search::decode(pipeline_.decoder(), m, search_rows, beam);
  auto score_near = [](double got, double w) {
    return std::abs(got - w) <= 1e-4 * std::abs(w) + 1e-5;
  };
  for (std::int64_t i = 0; i < n; ++i) {
    const auto& wg = want["greedy"][i];
    EXPECT_EQ(g1[i][0].ids, wg["ids"].get<std::vector<std::int64_t>>()) << "greedy, image " << i;
    EXPECT_TRUE(score_near(g1[i][0].score, wg["score"].get<double>())) << "greedy, image " << i;
    EXPECT_EQ(pipeline_.target_tokenizer().decode(g1[i][0].ids), wg["text"].get<std::string>());
    ASSERT_EQ(b5[i].size(), want["beam"][i].size()) << "beam, image " << i;
    for (std::size_t k = 0; k < b5[i].size(); ++k) {
      const auto& wb = want["beam"][i][k];
      const std::string where = "beam, image " + std::to_string(i) + " #" + std::to_string(k);
      EXPECT_EQ(b5[i][k].ids, wb["ids"].get<std::vector<std::int64_t>>()) << where;
      EXPECT_TRUE(score_near(b5[i][k].score, wb["score"].get<double>())) << where;
    }
  }
}

}  // namespace
}  // namespace recur
