// Copy attention through the seq2seq job, as `recur run` drives it: batched (sorted by
// length, several batches) beam search of a copy + coverage model with no_repeat_ngram
// and coverage_penalty writes the reference's best hypotheses; with source and target
// vocabularies that differ, the task gives no source ids and the decoder says why.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/run_recur.h"
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
  for (const auto& s : read_json(kFixtures / "sentences.json")) out << s["source"].get<std::string>() << "\n";
  return in;
}

TEST(CopyJob, BatchedBeamSearchWritesTheReferenceOutputs) {
  TempDir dir;
  const fs::path model = kFixtures / "lstm_mlp_blocking";
  const fs::path in = write_sources(dir.path()), out = dir.path() / "out.txt";
  auto r = run_recur({"run", (model / "pipeline.yaml").string(), "-i", in.string(), "-o", out.string(),
                      "--n-best", "1", "--batch-tokens", "60"});
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
                   "target:\n  tokenizer: {plugin: whitespace, vocab: " + (dir.path() / "target.vocab").string() + "}");
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

}  // namespace
}  // namespace recur
