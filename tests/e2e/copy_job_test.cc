// Copy attention through the seq2seq job, as `recur run` drives it: batched (sorted by
// length, several batches) beam search of a copy + coverage model with no_repeat_ngram
// and coverage_penalty writes the reference's best hypotheses; with source and target
// vocabularies that differ, the task gives no source ids and the decoder says why;
// `recur train` trains a copy + coverage model (coverage loss included) and validates it
// with greedy search through the same job.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/run_recur.h"
#include "recur/nn/safetensors.h"
#include "recur/pipeline/pipeline.h"
#include "recur/plugin/host.h"

namespace recur {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::run_recur;
using testing::TempDir;

const fs::path kFixtures = RECUR_TEST_DATA_DIR "/fixtures/copy";

nlohmann::json read_json(const fs::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

fs::path write_sources(const fs::path& dir) {
  const fs::path in = dir / "in.txt";
  std::ofstream out(in);
  for (const auto& s : read_json(kFixtures / "sentences.json"))
    out << s["source"].get<std::string>() << "\n";
  return in;
}

// The fixture's pipeline with `extended_vocabulary: false` (its search.json copies source
// ids only; copy_extended_test.cc covers the extended vocabulary), paths made absolute.
fs::path without_extended_vocabulary(const fs::path& model, const fs::path& dir) {
  std::ifstream in(model / "pipeline.yaml");
  std::stringstream yaml;
  yaml << in.rdbuf();
  std::string text = yaml.str();
  for (std::size_t at; (at = text.find("../joint.vocab")) != std::string::npos;)
    text.replace(at, 14, (kFixtures / "joint.vocab").string());
  text.replace(text.find("model.safetensors"), 17, (model / "model.safetensors").string());
  std::ofstream(dir / "pipeline.yaml") << text << "extended_vocabulary: false\n";
  return dir / "pipeline.yaml";
}

TEST(CopyJob, BatchedBeamSearchWritesTheReferenceOutputs) {
  TempDir dir;
  const fs::path model = kFixtures / "lstm_mlp_blocking";
  const fs::path in = write_sources(dir.path()), out = dir.path() / "out.txt";
  auto r = run_recur({"run", without_extended_vocabulary(model, dir.path()).string(), "-i",
                      in.string(), "-o", out.string(), "--n-best", "1", "--batch-tokens", "60"});
  ASSERT_EQ(r.code, 0) << r.err;

  PluginHost host;
  host.load_search_path({});
  Pipeline pipeline = Pipeline::load(model / "pipeline.yaml", host.registry());
  auto ref = read_json(model / "search.json");
  std::ifstream got(out);
  std::size_t i = 0;
  for (std::string line; std::getline(got, line); ++i) {
    ASSERT_LT(i, ref["beam"].size());
    const auto ids = ref["beam"][i][0]["ids"].get<std::vector<std::int64_t>>();
    EXPECT_EQ(line, pipeline.target_tokenizer().decode(ids)) << "line " << i + 1;
  }
  EXPECT_EQ(i, ref["beam"].size());
}

TEST(CopyJob, DifferentVocabulariesGiveNoSourceIdsAndTheDecoderSaysWhy) {
  TempDir dir;
  const fs::path model = kFixtures / "gru_general";
  // The same model with a target vocabulary whose last piece differs.
  std::ifstream vocab_in(kFixtures / "joint.vocab");
  std::stringstream vocab;
  vocab << vocab_in.rdbuf();
  std::string text = vocab.str();
  text.insert(text.rfind('\n', text.size() - 2) + 1, "x");
  std::ofstream(dir.path() / "target.vocab") << text;
  std::ifstream yaml_in(model / "pipeline.yaml");
  std::stringstream yaml;
  yaml << yaml_in.rdbuf();
  std::string pipeline = yaml.str();
  const std::string target = "target:\n  tokenizer: {plugin: whitespace, vocab: ../joint.vocab}";
  ASSERT_NE(pipeline.find(target), std::string::npos);
  pipeline.replace(pipeline.find(target), target.size(),
                   "target:\n  tokenizer: {plugin: whitespace, vocab: " +
                       (dir.path() / "target.vocab").string() + "}");
  pipeline.replace(pipeline.find("../joint.vocab"), 14, (kFixtures / "joint.vocab").string());
  pipeline.replace(pipeline.find("model.safetensors"), 17, (model / "model.safetensors").string());
  std::ofstream(dir.path() / "pipeline.yaml") << pipeline;

  const fs::path in = write_sources(dir.path());
  auto r = run_recur({"run", (dir.path() / "pipeline.yaml").string(), "-i", in.string(), "-o",
                      (dir.path() / "out.txt").string()});
  EXPECT_NE(r.code, 0);
  EXPECT_THAT(r.err, HasSubstr("copy needs the memory's source_ids"));
  EXPECT_THAT(r.err, HasSubstr("share one vocabulary"));
}

void write_head(const fs::path& from, const fs::path& to, int lines) {
  std::ifstream in(from);
  std::ofstream out(to);
  std::string line;
  for (int i = 0; i < lines && std::getline(in, line); ++i) out << line << '\n';
}

TEST(CopyJob, RecurTrainTrainsACopyCoverageModel) {
  TempDir dir;
  const fs::path data = RECUR_TEST_DATA_DIR "/ddtp";
  write_head(data / "en-fr.train.en", dir.path() / "train.en", 60);
  write_head(data / "en-fr.train.fr", dir.path() / "train.fr", 60);
  write_head(data / "sample-test.en", dir.path() / "valid.en", 8);
  write_head(data / "sample-test.fr", dir.path() / "valid.fr", 8);
  const std::string vocab = (kFixtures / "joint.vocab").string();
  std::ofstream(dir.path() / "p.yaml")
      << "task: summarization\n"
         "source:\n  tokenizer: {plugin: whitespace, vocab: " +
             vocab +
             "}\n"
             "target:\n  tokenizer: {plugin: whitespace, vocab: " +
             vocab +
             "}\n"
             "encoder: {plugin: bilstm, embedding_size: 8, hidden_size: 8, layers: 1}\n"
             "decoder: {plugin: lstm, embedding_size: 8, hidden_size: 8, attention: mlp, copy: "
             "true,\n"
             "          coverage: true, coverage_loss: 0.5}\n"
             "search: {beam_size: 2, max_length_a: 1.0, max_length_b: 3, no_repeat_ngram: 2}\n"
             "train:\n"
             "  data: {source: train.en, target: train.fr, valid_source: valid.en, valid_target: "
             "valid.fr,\n"
             "         valid_bleu_lines: 8}\n"
             "  batch_tokens: 300\n  lr: 0.01\n  epochs: 1\n  max_steps: 4\n  valid_every: 2\n"
             "  checkpoint_dir: ckpt\n  seed: 3\n";
  auto r =
      run_recur({"train", (dir.path() / "p.yaml").string(), "-o", (dir.path() / "model").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  auto weights = safetensors::File::open(dir.path() / "model" / "model.safetensors");
  EXPECT_TRUE(weights.contains("decoder.copy.weight"));
  EXPECT_TRUE(weights.contains("decoder.attention.w_coverage"));
  for (float w : weights.get("decoder.attention.w_coverage").to_vector())
    EXPECT_TRUE(std::isfinite(w));

  const fs::path in = write_sources(dir.path()), out = dir.path() / "out.txt";
  r = run_recur({"run", (dir.path() / "model" / "pipeline.yaml").string(), "-i", in.string(), "-o",
                 out.string()});
  ASSERT_EQ(r.code, 0) << r.err;
}

}  // namespace
}  // namespace recur
