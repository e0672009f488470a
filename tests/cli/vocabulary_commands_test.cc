// The commands that train tokenizer models go through the registry (the executable links
// no plugin): `recur spm-train`, and `recur train` for a missing model.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "run_recur.h"

namespace fs = std::filesystem;

namespace recur::testing {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(SpmTrainCommand, TrainsThroughTheSentencepiecePlugin) {
  TempDir dir;
  const std::string corpus = std::string(RECUR_TEST_DATA_DIR) + "/tokenizers/corpus_en_fr_de.txt";
  RunResult r = run_recur({"spm-train", "--input", corpus, "--model-prefix", (dir.path() / "m").string(),
                           "--vocab-size", "150"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, (dir.path() / "m.model").string() + "\n");
  EXPECT_EQ(files_in(dir.path()), (std::vector<std::string>{"m.model", "m.vocab"}));

  // Without the built-in plugins there is no trainer: an error naming what is missing.
  RunOptions no_builtin;
  no_builtin.env = {"RECUR_BUILTIN_PLUGINS=0"};
  r = run_recur({"spm-train", "--input", corpus, "--model-prefix", (dir.path() / "n").string()}, no_builtin);
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("tokenizer_trainer"));
}

TEST(TrainCommand, AnEmptyCorpusForAMissingModelNamesTheDataFiles) {
  TempDir dir;
  std::ofstream(dir.path() / "a.en") << "";
  std::ofstream(dir.path() / "a.fr") << "\n";
  std::ofstream(dir.path() / "p.yaml")
      << "task: translation\n"
         "source:\n  tokenizer: {plugin: sentencepiece, model: spm.model}\n"
         "target:\n  tokenizer: {plugin: sentencepiece, model: spm.model}\n"
         "encoder: {plugin: bilstm, embedding_size: 8, hidden_size: 8, layers: 1}\n"
         "decoder: {plugin: gru, hidden_size: 8}\n"
         "train:\n  data: {source: a.en, target: a.fr}\n  checkpoint_dir: ckpt\n";
  RunResult r = run_recur({"train", (dir.path() / "p.yaml").string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("recur: error: sentencepiece trainer: nothing to train the model " +
                               (dir.path() / "spm.model").string() + " on: " + (dir.path() / "a.en").string() +
                               ", " + (dir.path() / "a.fr").string() + " have no text"));
  EXPECT_EQ(files_in(dir.path()), (std::vector<std::string>{"a.en", "a.fr", "p.yaml"}));
}

}  // namespace
}  // namespace recur::testing
