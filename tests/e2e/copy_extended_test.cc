// Copy attention's extended vocabulary (source words outside the vocabulary), end to end:
// - parity with the PyTorch reference (scripts/fixtures/make_copy_extended_fixture.py):
//   teacher-forcing and step log P over V + OOV columns within 1e-4, the training loss
//   with extended target ids within 1e-4;
// - `recur run` on the 40 fixture sentences (batched, several batches) writes the
//   reference's greedy and beam outputs, OOV words copied as text (68 of the 80 outputs
//   copy one);
// - a rare word that only the source has is copied into the output by greedy search,
//   beam search and sampling, each line its own word in one batch; without the extended
//   vocabulary the same model writes <unk>; the attention and confidence side files name
//   the copied word too.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/run_recur.h"
#include "recur/nn/safetensors.h"
#include "recur/ops/tape.h"
#include "recur/pipeline/pipeline.h"
#include "recur/pipeline/teacher_forcing.h"
#include "recur/plugin/host.h"
#include "search_parity.h"

namespace recur {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::run_recur;
using testing::TempDir;

const fs::path kFixtures = RECUR_TEST_DATA_DIR "/fixtures/copy";
const fs::path kModel = kFixtures / "gru_general_extended";

nlohmann::json read_json(const fs::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

std::vector<std::string> read_lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(CopyExtended, LogProbsAndLossMatchTheReference) {
  PluginHost host;
  host.load_search_path({});
  Pipeline pipeline = Pipeline::load(kModel / "pipeline.yaml", host.registry());
  pipeline.model().eval();
  auto expected = safetensors::File::open(kModel / "expected.safetensors");
  SourceBatch b;
  b.data = expected.get("encoder.src").clone();
  for (std::int64_t v : expected.get("encoder.lengths").to_vector_of<std::int64_t>()) b.lengths.push_back(v);
  Memory m = pipeline.encoder().encode(b);
  m.source_ids = expected.get("decoder.source_ids").clone();
  Tensor tgt_in = expected.get("decoder.tgt_in").clone();
  const std::int64_t vocab = pipeline.target_tokenizer().vocab_size();
  {
    autograd::NoGradGuard g;
    Tensor forward = pipeline.decoder().forward(m, tgt_in);
    ASSERT_GT(forward.dim(2), vocab);
    testing::expect_close(forward, expected.get("decoder.forward.log_probs"), 1e-4, 1e-5, "forward log-probs");
    const std::int64_t rows = forward.dim(0), t = forward.dim(1), w = forward.dim(2);
    auto state = pipeline.decoder().init(m);
    Tensor step_lp = Tensor::zeros({rows, t, w});
    for (std::int64_t k = 0; k < t; ++k) {
      std::vector<std::int64_t> prev;
      for (std::int64_t r = 0; r < rows; ++r) prev.push_back(tgt_in.data<std::int64_t>()[r * t + k]);
      StepOutput out = pipeline.decoder().step(*state, prev);
      ASSERT_EQ(out.log_probs.shape(), (Shape{rows, w}));
      for (std::int64_t r = 0; r < rows; ++r) {
        std::copy_n(out.log_probs.data<float>() + r * w, w, step_lp.data<float>() + (r * t + k) * w);
      }
    }
    testing::expect_close(step_lp, expected.get("decoder.step.log_probs"), 1e-4, 1e-5, "step log-probs");
  }
  // The training loss with extended target ids, as the seq2seq training gives them.
  Tensor tgt_out = expected.get("decoder.tgt_out");
  std::vector<std::vector<std::int64_t>> targets(static_cast<std::size_t>(tgt_out.dim(0)));
  bool extended_target = false;
  for (std::int64_t r = 0; r < tgt_out.dim(0); ++r) {
    for (std::int64_t k = 0; k < tgt_out.dim(1); ++k) {
      const std::int64_t id = tgt_out.data<std::int64_t>()[r * tgt_out.dim(1) + k];
      extended_target |= id >= vocab;
      if (id != pipeline.target_tokenizer().pad_id() && id != pipeline.target_tokenizer().eos_id())
        targets[static_cast<std::size_t>(r)].push_back(id);
    }
  }
  ASSERT_TRUE(extended_target);
  std::vector<const std::vector<std::int64_t>*> rows;
  for (const auto& r : targets) rows.push_back(&r);
  train::StepLoss loss = teacher_forcing_loss(pipeline.decoder(), m, pipeline.target_tokenizer(), rows, 0.0f);
  const double ce = expected.get("loss.cross_entropy").item(), coverage = expected.get("loss.coverage").item();
  EXPECT_NEAR(loss.nll_sum / static_cast<double>(loss.tokens), ce, 1e-4);
  EXPECT_NEAR(loss.loss.item(), ce + coverage, 1e-4);
}

TEST(CopyExtended, RecurRunWritesTheReferenceOutputsWithCopiedWords) {
  TempDir dir;
  const fs::path in = dir.path() / "in.txt";
  {
    std::ofstream out(in);
    for (const auto& s : read_json(kFixtures / "sentences.json")) out << s["source"].get<std::string>() << "\n";
  }
  const auto ref = read_json(kModel / "search.json");
  for (const std::string search : {"greedy", "beam"}) {
    const fs::path out = dir.path() / (search + ".txt");
    std::vector<std::string> args{"run", (kModel / "pipeline.yaml").string(), "-i", in.string(), "-o",
                                  out.string(), "--n-best", "1", "--batch-tokens", "60"};
    if (search == "greedy") args.insert(args.end(), {"--beam", "1"});
    auto r = run_recur(args);
    ASSERT_EQ(r.code, 0) << r.err;
    const std::vector<std::string> got = read_lines(out);
    ASSERT_EQ(got.size(), ref[search].size());
    std::size_t copied = 0;
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i], ref[search][i]["text"].get<std::string>()) << search << " line " << i + 1;
      for (const auto& word : ref["oovs"][i]) copied += got[i].find(word.get<std::string>()) != std::string::npos;
    }
    EXPECT_GT(copied, 20u) << search;
  }
}

// gru_general's weights with p_gen ~ 0 (copy.bias -30) and keys 0 (w_key 0): attention is
// uniform over the source (coverage included: it stays uniform), so the output copies the
// word most positions hold.
fs::path copying_model(const fs::path& dir, bool extended) {
  auto weights = safetensors::File::open(kFixtures / "gru_general" / "model.safetensors");
  std::vector<std::pair<std::string, Tensor>> tensors;
  for (const auto& info : weights.tensors()) {
    Tensor t = weights.get(info.name).clone();
    if (info.name == "decoder.copy.bias") t = Tensor::from({1}, {-30.0f});
    if (info.name == "decoder.attention.w_key") t = Tensor::zeros(t.shape());
    tensors.emplace_back(info.name, t);
  }
  const fs::path folder = dir / (extended ? "extended" : "plain");
  fs::create_directories(folder);
  safetensors::save(folder / "model.safetensors", tensors);
  std::ifstream in(kFixtures / "gru_general" / "pipeline.yaml");
  std::stringstream yaml;
  yaml << in.rdbuf();
  std::string text = yaml.str();
  for (std::size_t at; (at = text.find("../joint.vocab")) != std::string::npos;)
    text.replace(at, 14, (kFixtures / "joint.vocab").string());
  if (!extended) text += "extended_vocabulary: false\n";
  std::ofstream(folder / "pipeline.yaml") << text;
  return folder / "pipeline.yaml";
}

TEST(CopyExtended, ARareSourceWordIsCopiedByGreedyBeamAndSampling) {
  TempDir dir;
  const fs::path in = dir.path() / "in.txt";
  // Words outside joint.vocab; the lines are batched together and each has its own. Each
  // holds 20 of 22 positions (eos is one), so eos is too unlikely for beam search to stop.
  std::string zzqx, qqpl;
  for (int i = 0; i < 20; ++i) {
    zzqx += "zzqx-utils ";
    qqpl += " libqqpl3";
  }
  std::ofstream(in) << zzqx << "the\nthe" << qqpl << "\n";
  const std::vector<std::vector<std::string>> searches{
      {"--beam", "1"}, {"--beam", "4", "--n-best", "1"}, {"--sample", "--temperature", "0.1", "--seed", "3"}};
  for (bool extended : {true, false}) {
    const fs::path pipeline = copying_model(dir.path(), extended);
    for (const auto& search : searches) {
      const fs::path out = dir.path() / "out.txt";
      const fs::path side = dir.path() / "attention.jsonl", confidence = dir.path() / "confidence.jsonl";
      std::vector<std::string> args{"run", pipeline.string(), "-i", in.string(), "-o", out.string(),
                                    "--attention", side.string(), "--confidence", confidence.string()};
      args.insert(args.end(), search.begin(), search.end());
      auto r = run_recur(args);
      ASSERT_EQ(r.code, 0) << r.err;
      const std::vector<std::string> got = read_lines(out);
      ASSERT_EQ(got.size(), 2u);
      if (extended) {
        EXPECT_EQ(got[0].rfind("zzqx-utils zzqx-utils", 0), 0u) << search[0] << ": " << got[0];
        const auto attention = nlohmann::json::parse(read_lines(side)[1]);
        EXPECT_EQ(attention["source"][1], "libqqpl3") << search[0];
        EXPECT_EQ(attention["target"][0], "libqqpl3") << search[0];
        EXPECT_EQ(nlohmann::json::parse(read_lines(confidence)[0])["tokens"][0], "zzqx-utils") << search[0];
        EXPECT_EQ(got[1].rfind("libqqpl3 libqqpl3", 0), 0u) << search[0] << ": " << got[1];
        EXPECT_THAT(got[0], Not(HasSubstr("libqqpl3")));
        EXPECT_THAT(got[1], Not(HasSubstr("zzqx")));
      } else {
        EXPECT_THAT(got[0], HasSubstr("<unk>")) << search[0];
        EXPECT_THAT(read_lines(side)[0], Not(HasSubstr("zzqx"))) << search[0];
        EXPECT_THAT(got[0] + got[1], Not(HasSubstr("zzqx")));
      }
    }
  }
}

}  // namespace
}  // namespace recur
