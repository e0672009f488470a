// From a shipped model to pictures: `recur translate --attention` then `recur plot
// attention` and `recur report`; the captioning fixture model's `recur caption
// --attention` then `recur plot image-attention`; `--confidence` of translation and of a
// language model's line completion, then `recur plot confidence`.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/run_recur.h"

namespace recur::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kSource(RECUR_SOURCE_DIR);

bool is_png(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return std::string(magic + 1, 3) == "PNG";
}

TEST(PlotCli, TranslationAttentionToPictureAndReport) {
  TempDir dir;
  std::ofstream(dir.path() / "in.en")
      << "This package provides a library for reading PNG images.\n\n";
  const fs::path att = dir.path() / "att.jsonl";
  RunResult r = run_recur({"translate", "-m", (kSource / "models/en-fr").string(), "-i",
                           (dir.path() / "in.en").string(), "-o", (dir.path() / "out.fr").string(),
                           "--attention", att.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  r = run_recur(
      {"plot", "attention", "-i", att.string(), "--all", "-o", (dir.path() / "pictures").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(is_png(dir.path() / "pictures/line-1.png"));
  EXPECT_TRUE(is_png(dir.path() / "pictures/line-2.png"));  // the blank line: an empty picture
  r = run_recur({"report", "--attention", att.string(), "--training",
                 (kSource / "models/en-fr").string(), "-o", (dir.path() / "r.html").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir.path() / "r.html"));
}

TEST(PlotCli, CaptionAttentionToPanels) {
  TempDir dir;
  const fs::path images = kSource / "tests/data/viz";
  const fs::path att = dir.path() / "cap.jsonl";
  RunResult r =
      run_recur({"caption", "-m", (kSource / "tests/data/fixtures/caption").string(),
                 (images / "red_square.png").string(), (images / "blue_bar.png").string(), "-o",
                 (dir.path() / "captions.tsv").string(), "--attention", att.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  r = run_recur({"plot", "image-attention", "-i", att.string(), "--all", "-o",
                 (dir.path() / "panels").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(is_png(dir.path() / "panels/line-1.png"));
  EXPECT_TRUE(is_png(dir.path() / "panels/line-2.png"));
}

std::vector<nlohmann::json> json_lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

TEST(PlotCli, TranslationConfidenceOneRecordPerLineInOrder) {
  TempDir dir;
  std::ofstream(dir.path() / "in.en") << "This package provides a library.\n\nDocumentation files.\n";
  const fs::path conf = dir.path() / "conf.jsonl", out = dir.path() / "out.fr";
  RunResult r = run_recur({"translate", "-m", (kSource / "models/en-fr").string(), "-i",
                           (dir.path() / "in.en").string(), "-o", out.string(), "--confidence", conf.string(),
                           "--confidence-top", "4", "--attention", (dir.path() / "att.jsonl").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto records = json_lines(conf);
  ASSERT_EQ(records.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(records[i]["line"], i + 1);
  EXPECT_TRUE(records[1]["tokens"].empty());  // the blank line
  const auto attention = json_lines(dir.path() / "att.jsonl");
  for (std::size_t i : {0u, 2u}) {
    const auto& tokens = records[i]["tokens"];
    const auto& top = records[i]["top_k"];
    ASSERT_FALSE(tokens.empty());
    EXPECT_EQ(tokens.back(), "</s>");
    ASSERT_EQ(top.size(), tokens.size());
    // The pieces chosen are the attention file's target pieces.
    EXPECT_EQ(tokens, attention[i]["target"]);
    for (const auto& step : top) {
      ASSERT_EQ(step.size(), 4u);
      double mass = 0;
      for (const auto& c : step) mass += c[1].get<double>();
      EXPECT_LE(mass, 1.0 + 1e-5);
      EXPECT_GE(step[0][1].get<double>(), step[3][1].get<double>());
    }
  }
  const RunResult same = run_recur({"translate", "-m", (kSource / "models/en-fr").string(), "-i",
                                    (dir.path() / "in.en").string(), "-o", out.string(), "--confidence",
                                    (dir.path() / "x.jsonl").string(), "--attention", (dir.path() / "x.jsonl").string()});
  EXPECT_EQ(same.code, 2);
  EXPECT_NE(same.err.find("--confidence: names the same file as --attention"), std::string::npos) << same.err;
  r = run_recur({"plot", "confidence", "-i", conf.string(), "--line", "1", "-o", (dir.path() / "c.png").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(is_png(dir.path() / "c.png"));
}

TEST(PlotCli, LineCompletionConfidenceStartsAfterThePrompt) {
  TempDir dir;
  std::ofstream(dir.path() / "prompts.txt") << "Call me Ish\n";
  const fs::path conf = dir.path() / "conf.jsonl", out = dir.path() / "out.txt";
  const RunResult r = run_recur({"run", (kSource / "models/moby-dick/pipeline.yaml").string(), "-i",
                                 (dir.path() / "prompts.txt").string(), "-o", out.string(), "--top-k", "1",
                                 "--confidence", conf.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  std::ifstream in(out);
  std::string completion;
  std::getline(in, completion);
  const auto records = json_lines(conf);
  ASSERT_EQ(records.size(), 1u);
  std::string chosen;
  const auto& tokens = records[0]["tokens"];
  for (std::size_t s = 0; s + 1 < tokens.size(); ++s) chosen += tokens[s].get<std::string>();
  EXPECT_EQ(chosen, completion);
  // --top-k 1: every chosen character is its step's most likely one.
  for (std::size_t s = 0; s + 1 < tokens.size(); ++s) EXPECT_EQ(records[0]["top_k"][s][0][0], tokens[s]) << s;
}

// A copying decoder (models/debian-summarize) under greedy search: every chosen piece is
// its step's most likely one, so teacher forcing saw what search saw.
TEST(PlotCli, GreedySummaryConfidenceAgreesWithSearch) {
  TempDir dir;
  std::ofstream(dir.path() / "in.txt")
      << "This package contains the documentation for the library, with examples and a reference manual.\n";
  const fs::path conf = dir.path() / "conf.jsonl";
  const RunResult r = run_recur({"summarize", "-m", (kSource / "models/debian-summarize").string(), "-i",
                                 (dir.path() / "in.txt").string(), "-o", (dir.path() / "out.txt").string(),
                                 "--beam", "1", "--confidence", conf.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto records = json_lines(conf);
  ASSERT_EQ(records.size(), 1u);
  const auto& tokens = records[0]["tokens"];
  ASSERT_GT(tokens.size(), 1u);
  for (std::size_t s = 0; s < tokens.size(); ++s) EXPECT_EQ(records[0]["top_k"][s][0][0], tokens[s]) << s;
}

TEST(PlotCli, GenerateConfidenceOneRecordPerSample) {
  TempDir dir;
  const fs::path conf = dir.path() / "gen.jsonl";
  const RunResult r = run_recur({"generate", "-m", (kSource / "models/moby-dick").string(), "--prompt", "Call me",
                                 "--greedy", "--samples", "2", "--max-length", "15", "--confidence", conf.string(),
                                 "--confidence-top", "2", "-o", (dir.path() / "gen.txt").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto records = json_lines(conf);
  ASSERT_EQ(records.size(), 2u);
  for (std::size_t k = 0; k < 2; ++k) {
    EXPECT_EQ(records[k]["line"], k + 1);
    const auto& tokens = records[k]["tokens"];
    ASSERT_EQ(tokens.size(), 16u);  // 15 chosen, then the step after them
    for (std::size_t s = 0; s < 15; ++s) {
      ASSERT_EQ(records[k]["top_k"][s].size(), 2u);
      EXPECT_EQ(records[k]["top_k"][s][0][0], tokens[s]) << "greedy: the best is chosen, step " << s;
    }
  }
}

TEST(PlotCli, ClassificationRefusesConfidence) {
  TempDir dir;
  std::ofstream(dir.path() / "in.txt") << "good\n";
  const RunResult r = run_recur({"classify", "-m", (kSource / "models/sentiment").string(), "-i",
                                 (dir.path() / "in.txt").string(), "--confidence",
                                 (dir.path() / "c.jsonl").string()});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("--confidence: the classification task generates no tokens"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace recur::testing
