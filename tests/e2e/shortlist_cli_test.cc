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

// A copy of the shipped model folder with `shortlist` (a flow mapping) under search:,
// and a table learned from the sample pair with `top_k` candidates per piece.
fs::path model_with_shortlist(const fs::path& dir, const std::string& shortlist, int top_k = 50) {
  const fs::path copy = dir / "model";
  fs::copy(kModel, copy, fs::copy_options::recursive);
  std::ifstream in(copy / "pipeline.yaml");
  std::stringstream text;
  text << in.rdbuf();
  std::string yaml = text.str();
  const std::string key = "search:\n";
  yaml.insert(yaml.find(key) + key.size(), "  shortlist: " + shortlist + "\n");
  std::ofstream(copy / "pipeline.yaml", std::ios::trunc) << yaml;
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
    const auto whole = translate(kModel, dir.path() / "whole.fr", {"--beam", beam});
    ASSERT_EQ(whole.size(), 100u);
    EXPECT_EQ(translate(model, dir.path() / "every.fr", {"--beam", beam}), whole) << "beam " << beam;
  }
}

TEST(ShortlistCli, ASmallShortlistTranslatesAndTheFlagsSwitchIt) {
  TempDir dir;
  const fs::path model = model_with_shortlist(dir.path(), "{file: sl.safetensors, top_k: 10, frequent: 100}", 10);
  const auto whole = translate(kModel, dir.path() / "whole.fr", {"--beam", "1"});
  const auto small = translate(model, dir.path() / "small.fr", {"--beam", "1"});
  ASSERT_EQ(small.size(), 100u);
  int same = 0;
  for (std::size_t i = 0; i < small.size(); ++i) {
    EXPECT_FALSE(small[i].empty()) << "line " << i + 1;
    same += small[i] == whole[i];
  }
  // Learned from these very lines, the table holds what the model needs for most of them.
  EXPECT_GE(same, 70);
  EXPECT_EQ(translate(model, dir.path() / "off.fr", {"--beam", "1", "--no-shortlist"}), whole);

  // enabled: false keeps the table for --shortlist.
  std::ifstream in(model / "pipeline.yaml");
  std::stringstream text;
  text << in.rdbuf();
  std::string yaml = text.str();
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

TEST(ShortlistCli, FlagProblemsAreUsageErrorsNamingTheFlag) {
  TempDir dir;
  RunResult r = run_recur({"translate", "-m", kModel.string(), "-i", kSource.string(), "-o",
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

}  // namespace
}  // namespace recur::testing
