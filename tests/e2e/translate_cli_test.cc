// `recur translate` end to end on a tiny trained model: every input line gets its output
// line, bad lines are handled as documented, and batching never changes a translation.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/run_recur.h"
#include "tiny_model.h"

namespace recur::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::vector<std::string> lines_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

// 30 real sentences with an empty line, a blank line, invalid UTF-8 and an over-long
// line mixed in; returns the indices of the special lines.
struct Input {
  fs::path file;
  std::size_t lines = 0;
  std::size_t empty = 0, blank = 0, invalid = 0, overlong = 0;
};

Input make_input(const fs::path& dir) {
  auto sample = lines_of(RECUR_TEST_DATA_DIR "/ddtp/sample-test.en");
  Input in;
  in.file = dir / "in.en";
  std::ofstream out(in.file, std::ios::binary);
  std::vector<std::string> lines(sample.begin(), sample.begin() + 30);
  in.empty = 3;
  lines.insert(lines.begin() + 3, "");
  in.blank = 8;
  lines.insert(lines.begin() + 8, "   \t ");
  in.invalid = 12;
  lines.insert(lines.begin() + 12, "package \xFF\xFE for \xC3 tests");
  in.overlong = 20;
  std::string longline;
  for (int i = 0; i < 300; ++i) longline += "the package ";
  lines.insert(lines.begin() + 20, longline);
  for (const auto& l : lines) out << l << "\n";
  in.lines = lines.size();
  return in;
}

TEST(TranslateCli, EveryInputLineGetsItsOutputLine) {
  TempDir dir;
  Input in = make_input(dir.path());
  const fs::path out = dir.path() / "out.fr";
  RunResult r = run_recur({"translate", "-m", tiny_model_dir().string(), "-i", in.file.string(), "-o", out.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  auto got = lines_of(out);
  ASSERT_EQ(got.size(), in.lines);
  EXPECT_EQ(got[in.empty], "");
  EXPECT_EQ(got[in.blank], "");
  EXPECT_THAT(r.err, HasSubstr("in.en:" + std::to_string(in.invalid + 1) + ": invalid UTF-8"));
  EXPECT_THAT(r.err, HasSubstr("in.en:" + std::to_string(in.overlong + 1) + ": 600 tokens cropped"));
  EXPECT_THAT(r.err, HasSubstr(std::to_string(in.lines) + " lines (2 empty)"));
  EXPECT_THAT(r.err, HasSubstr("2 warnings (1 invalid UTF-8, 1 cropped)"));
}

TEST(TranslateCli, StrictModeNamesTheInvalidLine) {
  TempDir dir;
  Input in = make_input(dir.path());
  RunResult r = run_recur({"translate", "-m", tiny_model_dir().string(), "-i", in.file.string(),
                           "-o", (dir.path() / "out").string(), "--strict"});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("recur: error: " + in.file.string() + ":" + std::to_string(in.invalid + 1) +
                               ": invalid UTF-8 at byte 9"));
}

// Mini-batch sizes, maxi-batch sizes and worker threads never change a translation.
TEST(TranslateCli, BatchingNeverChangesATranslation) {
  TempDir dir;
  Input in = make_input(dir.path());
  for (const char* beam : {"1", "3"}) {
    const fs::path one = dir.path() / (std::string("one") + beam);
    const fs::path many = dir.path() / (std::string("many") + beam);
    const fs::path parallel = dir.path() / (std::string("parallel") + beam);
    ASSERT_EQ(run_recur({"translate", "-m", tiny_model_dir().string(), "-i", in.file.string(), "-o",
                         one.string(), "--beam", beam, "--batch-tokens", "1", "--workers", "1"}).code, 0);
    ASSERT_EQ(run_recur({"translate", "-m", tiny_model_dir().string(), "-i", in.file.string(), "-o",
                         many.string(), "--beam", beam, "--batch-tokens", "100000", "--maxi-batch", "7"}).code, 0);
    // Several mini-batches at once on worker threads: same lines, same order.
    ASSERT_EQ(run_recur({"translate", "-m", tiny_model_dir().string(), "-i", in.file.string(), "-o",
                         parallel.string(), "--beam", beam, "--batch-tokens", "60", "--workers", "4",
                         "--threads", "2"}).code, 0);
    EXPECT_EQ(lines_of(one), lines_of(many)) << "beam " << beam;
    EXPECT_EQ(lines_of(one), lines_of(parallel)) << "beam " << beam;
  }
}

TEST(TranslateCli, StdinToStdoutWithNBestAndScores) {
  TempDir dir;
  Input in = make_input(dir.path());
  RunResult r = run_recur({"translate", "-m", tiny_model_dir().string(), "-i", in.file.string(), "--n-best", "3"});
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream lines(r.out);
  std::size_t n = 0;
  for (std::string l; std::getline(lines, l); ++n) {
    EXPECT_THAT(l, ::testing::StartsWith(std::to_string(n / 3) + " ||| ")) << l;
  }
  EXPECT_EQ(n, 3 * in.lines);
}

TEST(TranslateCli, AttentionFileHasOneJsonLinePerInputLine) {
  TempDir dir;
  Input in = make_input(dir.path());
  const fs::path att = dir.path() / "att.jsonl";
  RunResult r = run_recur({"translate", "-m", tiny_model_dir().string(), "-i", in.file.string(), "-o",
                           (dir.path() / "out").string(), "--attention", att.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  auto rows = lines_of(att);
  ASSERT_EQ(rows.size(), in.lines);
  auto first = nlohmann::json::parse(rows[0]);
  EXPECT_EQ(first["line"], 1);
  ASSERT_FALSE(first["attention"].empty());
  EXPECT_EQ(first["attention"].size(), first["target"].size());
  double sum = 0;
  for (double a : first["attention"][0]) sum += a;
  EXPECT_NEAR(sum, 1.0, 1e-4);
  EXPECT_TRUE(nlohmann::json::parse(rows[in.empty])["target"].empty());
}

TEST(TranslateCli, MissingModelFolderIsOneClearError) {
  RunResult r = run_recur({"translate", "-m", "/nonexistent/model", "-i", "/dev/null"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "recur: error: /nonexistent/model: not a model folder (no pipeline.yaml)\n");
}

}  // namespace
}  // namespace recur::testing
