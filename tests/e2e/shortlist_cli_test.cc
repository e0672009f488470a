// The vocabulary shortlist end to end on the shipped EN->FR model: `recur shortlist`
// learns a table from a parallel corpus, `search.shortlist` and --shortlist /
// --no-shortlist use it, a shortlist holding every piece translates exactly as the whole
// vocabulary does, and a corrupt table or a bad flag is refused before any output.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/run_recur.h"

namespace recur::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path kModel = fs::path(RECUR_SOURCE_DIR) / "models/en-fr";
const fs::path kSource = kModel / "sample.en";
const fs::path kTarget = kModel / "sample.fr";

std::vector<std::string> lines_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

std::string read(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A copy of the shipped model folder without its shortlist (the search.shortlist line and
// the table).
fs::path plain_model(const fs::path& dir) {
  const fs::path copy = dir / "model";
  fs::copy(kModel, copy, fs::copy_options::recursive);
  std::string yaml = read(copy / "pipeline.yaml");
  const auto at = yaml.find("  shortlist: ");
  if (at != std::string::npos) yaml.erase(at, yaml.find('\n', at) + 1 - at);
  std::ofstream(copy / "pipeline.yaml", std::ios::trunc) << yaml;
  fs::remove(copy / "shortlist.safetensors");
  return copy;
}

// plain_model() with `shortlist` (a flow mapping) under search:, and sl.safetensors: a table
// learned from the sample pair with `top_k` candidates per piece, or (top_k 0) the
// shipped table, learned from the training corpus.
fs::path model_with_shortlist(const fs::path& dir, const std::string& shortlist, int top_k) {
  const fs::path copy = plain_model(dir);
  std::string yaml = read(copy / "pipeline.yaml");
  const std::string key = "search:\n";
  yaml.insert(yaml.find(key) + key.size(), "  shortlist: " + shortlist + "\n");
  std::ofstream(copy / "pipeline.yaml", std::ios::trunc) << yaml;
  if (top_k == 0) {
    fs::copy_file(kModel / "shortlist.safetensors", copy / "sl.safetensors");
    return copy;
  }
  RunResult r = run_recur({"shortlist", copy.string(), "--source", kSource.string(), "--target", kTarget.string(),
                           "--top-k", std::to_string(top_k)});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("sl.safetensors"));
  EXPECT_TRUE(fs::is_regular_file(copy / "sl.safetensors"));
  return copy;
}

std::vector<std::string> translate(const fs::path& model, const fs::path& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"translate", "-m", model.string(), "-i", kSource.string(), "-o", out.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  RunResult r = run_recur(args);
  EXPECT_EQ(r.code, 0) << r.err;
  return lines_of(out);
}

TEST(ShortlistCli, AShortlistOfEveryPieceTranslatesAsTheWholeVocabulary) {
  TempDir dir;
  const fs::path model = model_with_shortlist(dir.path(), "{file: sl.safetensors, top_k: 5, frequent: 8000}", 5);
  for (const char* beam : {"1", "5"}) {
    const auto whole = translate(kModel, dir.path() / "whole.fr", {"--beam", beam, "--no-shortlist"});
    ASSERT_EQ(whole.size(), 100u);
    EXPECT_EQ(translate(model, dir.path() / "every.fr", {"--beam", beam}), whole) << "beam " << beam;
  }
}

TEST(ShortlistCli, ASmallShortlistTranslatesAndTheFlagsSwitchIt) {
  TempDir dir;
  const fs::path model = model_with_shortlist(dir.path(), "{file: sl.safetensors, top_k: 5, frequent: 100}", 0);
  const auto whole = translate(kModel, dir.path() / "whole.fr", {"--beam", "1", "--no-shortlist"});
  const auto small = translate(model, dir.path() / "small.fr", {"--beam", "1"});
  ASSERT_EQ(small.size(), 100u);
  int same = 0;
  for (std::size_t i = 0; i < small.size(); ++i) {
    EXPECT_FALSE(small[i].empty()) << "line " << i + 1;
    same += small[i] == whole[i];
  }
  // Measured: 62 of the 100 lines as with the whole vocabulary (top_k 5 is too few).
  EXPECT_GE(same, 50);
  EXPECT_LT(same, 100) << "the shortlist changed nothing: was it used?";
  EXPECT_EQ(translate(model, dir.path() / "off.fr", {"--beam", "1", "--no-shortlist"}), whole);

  // enabled: false keeps the table for --shortlist.
  std::string yaml = read(model / "pipeline.yaml");
  yaml.replace(yaml.find("frequent: 100}"), 14, "frequent: 100, enabled: false}");
  std::ofstream(model / "pipeline.yaml", std::ios::trunc) << yaml;
  EXPECT_EQ(translate(model, dir.path() / "disabled.fr", {"--beam", "1"}), whole);
  EXPECT_EQ(translate(model, dir.path() / "on.fr", {"--beam", "1", "--shortlist"}), small);
}

TEST(ShortlistCli, ACorruptOrMissingTableIsAnErrorNamingTheFile) {
  TempDir dir;
  const fs::path model = model_with_shortlist(dir.path(), "{file: sl.safetensors, top_k: 10}", 10);
  std::ofstream(model / "sl.safetensors", std::ios::binary | std::ios::trunc) << "garbage";
  RunResult r = run_recur({"translate", "-m", model.string(), "-i", kSource.string(), "-o",
                           (dir.path() / "out.fr").string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr((model / "sl.safetensors").string()));
  EXPECT_FALSE(fs::exists(dir.path() / "out.fr"));
  fs::remove(model / "sl.safetensors");
  r = run_recur({"translate", "-m", model.string(), "-i", kSource.string(), "-o", (dir.path() / "out.fr").string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("sl.safetensors"));
  // --no-shortlist never reads it.
  r = run_recur({"translate", "-m", model.string(), "-i", kSource.string(), "-o", (dir.path() / "out.fr").string(),
                 "--no-shortlist"});
  EXPECT_EQ(r.code, 0) << r.err;
}

// The shipped model uses its shortlist unless told not to: its table loads, --shortlist
// changes nothing, and the whole vocabulary translates (almost) every line the same.
TEST(ShortlistCli, TheShippedModelUsesItsShortlist) {
  TempDir dir;
  const auto shipped = translate(kModel, dir.path() / "shipped.fr", {"--beam", "1"});
  ASSERT_EQ(shipped.size(), 100u);
  EXPECT_EQ(translate(kModel, dir.path() / "on.fr", {"--beam", "1", "--shortlist"}), shipped);
  const auto whole = translate(kModel, dir.path() / "whole.fr", {"--beam", "1", "--no-shortlist"});
  int same = 0;
  for (std::size_t i = 0; i < shipped.size(); ++i) same += shipped[i] == whole[i];
  EXPECT_GE(same, 70);  // measured: 82 of these 100, 819 of the 1,000 test lines greedy
}

TEST(ShortlistCli, FlagProblemsAreUsageErrorsNamingTheFlag) {
  TempDir dir;
  const fs::path plain = plain_model(dir.path());
  RunResult r = run_recur({"translate", "-m", plain.string(), "-i", kSource.string(), "-o",
                           (dir.path() / "out.fr").string(), "--shortlist"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--shortlist"));
  EXPECT_THAT(r.err, HasSubstr("no vocabulary shortlist"));
  r = run_recur({"translate", "-m", kModel.string(), "-i", kSource.string(), "-o", (dir.path() / "out.fr").string(),
                 "--shortlist", "--no-shortlist"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--shortlist"));
  EXPECT_FALSE(fs::exists(dir.path() / "out.fr"));
  r = run_recur({"shortlist", kModel.string(), "--source", kSource.string(), "--target", kTarget.string(), "-o",
                 (dir.path() / "sl.safetensors").string(), "--top-k", "0"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--top-k"));
  r = run_recur({"shortlist", kModel.string(), "--target", kTarget.string(), "-o",
                 (dir.path() / "sl.safetensors").string()});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("--source"));
}

// `recur train` on a pipeline whose search.shortlist names a file writes that table into
// the model folder, learned from train.data, and the folder translates with it.
TEST(ShortlistCli, TrainWritesTheShortlistItsPipelineNames) {
  TempDir dir;
  const std::string en = RECUR_TEST_DATA_DIR "/ddtp/en-fr.train.en";
  const std::string fr = RECUR_TEST_DATA_DIR "/ddtp/en-fr.train.fr";
  std::ofstream(dir.path() / "tiny.yaml")
      << "task: translation\n"
         "source:\n  tokenizer: {plugin: whitespace, corpus: " << en << ", max_size: 400}\n"
         "target:\n  tokenizer: {plugin: whitespace, corpus: " << fr << ", max_size: 400}\n"
         "encoder: {plugin: bilstm, embedding_size: 24, hidden_size: 16, layers: 1}\n"
         "decoder: {plugin: gru, embedding_size: 24, hidden_size: 32, attention: general}\n"
         "search: {beam_size: 2, shortlist: {file: lex.safetensors, top_k: 5, frequent: 20}}\n"
         "train:\n"
         "  data: {source: " << en << ", target: " << fr << ", max_length: 64}\n"
         "  batch_tokens: 600\n  epochs: 1\n  max_steps: 3\n  valid_every: 100\n  checkpoint_dir: "
      << (dir.path() / "ckpt").string() << "\n";
  const fs::path model = dir.path() / "model";
  RunResult r = run_recur({"train", (dir.path() / "tiny.yaml").string(), "-o", model.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_TRUE(fs::is_regular_file(model / "lex.safetensors"));
  EXPECT_THAT(read(model / "pipeline.yaml"), HasSubstr("lex.safetensors"));
  RunResult t = run_recur({"translate", "-m", model.string(), "-i", (RECUR_TEST_DATA_DIR "/ddtp/sample-test.en"),
                           "-o", (dir.path() / "out.fr").string(), "--shortlist"});
  EXPECT_EQ(t.code, 0) << t.err;
}

}  // namespace
}  // namespace recur::testing
