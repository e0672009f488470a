// `recur plot` and `recur report`: pictures written where asked, usage errors naming the
// flag (exit 2), bad input naming FILE:LINE and field (exit 1).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "run_recur.h"

namespace recur::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr const char* kAttention =
    R"({"line": 1, "source": ["▁Ça", "▁va", "</s>"], "target": ["▁How", "▁are", "▁you", "</s>"], )"
    R"("attention": [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.6, 0.2], [0.1, 0.1, 0.8]]})"
    "\n"
    R"({"line": 2, "source": ["▁東京", "</s>"], "target": ["▁Tokyo", "</s>"], )"
    R"("attention": [[0.9, 0.1], [0.2, 0.8]]})"
    "\n";

constexpr const char* kConfidence =
    R"({"line": 1, "tokens": ["▁How", "▁are", "</s>"], "top_k": [[["▁How", 0.8], ["▁What", 0.1]], )"
    R"([["▁are", 0.6], ["▁is", 0.3]], [["</s>", 0.9], ["▁you", 0.05]]]})"
    "\n"
    R"({"line": 2, "tokens": [], "top_k": []})"
    "\n";

class Plot : public ::testing::Test {
 protected:
  fs::path write(const std::string& name, const std::string& text) {
    const fs::path path = dir_.path() / name;
    std::ofstream(path) << text;
    return path;
  }
  std::string at(const std::string& name) const { return (dir_.path() / name).string(); }
  static bool is_png(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {};
    in.read(magic, 4);
    return std::string(magic + 1, 3) == "PNG";
  }
  TempDir dir_;
};

const std::string kModels = std::string(RECUR_SOURCE_DIR) + "/models/";

TEST_F(Plot, AttentionOneLineSeveralLinesAndAll) {
  const std::string input = write("att.jsonl", kAttention).string();
  RunResult r =
      run_recur({"plot", "attention", "--input", input, "--line", "1", "-o", at("a.png")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(is_png(at("a.png")));
  r = run_recur(
      {"plot", "attention", "-i", input, "--line", "1", "--line", "2", "-o", at("b.svg")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(at("b-1.svg")));
  EXPECT_TRUE(fs::exists(at("b-2.svg")));
  r = run_recur({"plot", "attention", "-i", input, "--all", "-o", at("all"), "--format", "svg"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(at("all/line-1.svg")));
  EXPECT_TRUE(fs::exists(at("all/line-2.svg")));
}

TEST_F(Plot, ConfidenceOneLineAndAll) {
  const std::string input = write("conf.jsonl", kConfidence).string();
  RunResult r = run_recur({"plot", "confidence", "--input", input, "--line", "1", "-o", at("c.png")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(is_png(at("c.png")));
  r = run_recur({"plot", "confidence", "-i", input, "--all", "-o", at("all")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(is_png(at("all/line-1.png")));
  EXPECT_TRUE(is_png(at("all/line-2.png")));
}

TEST_F(Plot, ConfidenceBadInputNamesFileLineAndField) {
  const std::string input =
      write("bad.jsonl", std::string(kConfidence) + R"({"line": 3, "tokens": ["a", "b"], "top_k": [[["a", 1]]]})" +
                             "\n" + R"({"line": 4, "top_k": []})")
          .string();
  RunResult r = run_recur({"plot", "confidence", "-i", input, "--line", "1", "-o", at("c.png")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr(input + ":3: field 'top_k': expected 2 steps (one per token), found 1"));
  EXPECT_FALSE(fs::exists(at("c.png")));
  const std::string missing = write("missing.jsonl", R"({"line": 4, "top_k": []})").string();
  r = run_recur({"plot", "confidence", "-i", missing, "--all", "-o", at("m")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr(missing + ":1: field 'tokens': missing"));
}

TEST_F(Plot, ActivationsOfChosenUnitsAndOfFoundOnes) {
  const std::string text = write("text.txt", "\"Call me Ishmael,\" he said (twice).\nSome years ago.\n").string();
  RunResult r = run_recur({"plot", "activations", "-m", kModels + "moby-dick", "-i", text, "--units", "3,17",
                           "-o", at("units.png")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(is_png(at("units.png")));
  r = run_recur({"plot", "activations", "-m", kModels + "moby-dick", "-i", text, "--find", "quotes", "--top", "3",
                 "--layer", "0", "-o", at("quotes.svg")});
  ASSERT_EQ(r.code, 0) << r.err;
  std::ifstream in(at("quotes.svg"));
  const std::string svg{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  EXPECT_NE(svg.find("<svg"), std::string::npos);
}

TEST_F(Plot, ActivationsErrorsNameTheFlagOrTheFile) {
  const std::string text = write("text.txt", "plain words, no quotes\n").string();
  const std::string model = kModels + "moby-dick";
  const std::vector<std::pair<std::vector<std::string>, std::string>> usage = {
      {{"plot", "activations", "-m", model, "-i", text, "--units", "512", "-o", at("a.png")},
       "--units: unit 512 is out of range: layer 1 has 512 units (0 to 511)"},
      {{"plot", "activations", "-m", model, "-i", text, "--units", "3,x", "-o", at("a.png")}, "--units"},
      {{"plot", "activations", "-m", model, "-i", text, "--units", "3", "--layer", "2", "-o", at("a.png")},
       "--layer: the model has 2 layers (0 to 1), not 2"},
      {{"plot", "activations", "-m", model, "-i", text, "--find", "vowels", "-o", at("a.png")},
       "--find: unknown feature 'vowels'"},
      {{"plot", "activations", "-m", model, "-i", text, "-o", at("a.png")}, "--units"},
      {{"plot", "activations", "-m", model, "-i", text, "--units", "1", "--top", "2", "-o", at("a.png")}, "--top"},
      {{"plot", "activations", "-i", text, "--units", "1", "-o", at("a.png")}, "--model"},
      {{"plot", "attention", "-m", model, "-i", text, "--line", "1", "-o", at("a.png")}, "--model"},
  };
  for (const auto& [args, message] : usage) {
    const RunResult r = run_recur(args);
    EXPECT_EQ(r.code, 2) << message << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr(message));
  }
  // Nothing to correlate with: the error names the text.
  RunResult r = run_recur({"plot", "activations", "-m", model, "-i", text, "--find", "quotes", "-o", at("a.png")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr(text + ": the first"));
  const std::string bad = write("bad.txt", "ok\nnot \xff utf-8\n").string();
  r = run_recur({"plot", "activations", "-m", model, "-i", bad, "--units", "1", "-o", at("a.png")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr(bad + ":2"));
  EXPECT_FALSE(fs::exists(at("a.png")));
}

TEST_F(Plot, TrainingOverlaysRuns) {
  const RunResult r =
      run_recur({"plot", "training", kModels + "en-fr", kModels + "en-de", "-o", at("t.png")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(is_png(at("t.png")));
}

TEST_F(Plot, UsageErrorsNameTheFlag) {
  const std::string input = write("att.jsonl", kAttention).string();
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"plot", "attention", "--input", input, "-o", at("a.png")}, "--line"},
      {{"plot", "attention", "--line", "1", "-o", at("a.png")}, "--input"},
      {{"plot", "attention", "-i", input, "--line", "1", "--all", "-o", at("a")}, "--all"},
      {{"plot", "attention", "-i", input, "--line", "1", "-o", at("a.jpg")}, "--output"},
      {{"plot", "attention", "-i", input, "--line", "-1", "-o", at("a.png")}, "--line"},
      {{"plot", "attention", "-i", input, "--line", "1", "--image-root", ".", "-o", at("a.png")},
       "--image-root"},
      {{"plot", "attention", "-i", input, "--line", "1", "--format", "svg", "-o", at("a.png")},
       "--format"},
      {{"plot", "training", kModels + "en-fr", "--line", "2", "-o", at("a.png")}, "--line"},
      {{"plot", "training", "-o", at("a.png")}, "RUN"},
      {{"plot", "heat", "-o", at("a.png")}, "KIND"},
      {{"plot", "attention", "-i", input, "--line", "1"}, "--output"},
      {{"report", "-o", at("r.html")}, "--attention"},
      {{"report", "--training", kModels + "en-fr", "--line", "1", "-o", at("r.html")}, "--line"},
      {{"report", "--training", kModels + "en-fr", "--units", "1", "-o", at("r.html")}, "--units"},
      {{"report", "--activations", input, "--units", "1", "-o", at("r.html")}, "--model"},
      {{"report", "--activations", input, "-m", kModels + "moby-dick", "-o", at("r.html")}, "--units"},
  };
  for (const auto& [args, flag] : cases) {
    const RunResult r = run_recur(args);
    EXPECT_EQ(r.code, 2) << args[1] << " " << flag << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr(flag)) << args[1];
  }
  EXPECT_FALSE(fs::exists(at("a.png")));
}

TEST_F(Plot, BadInputNamesFileLineAndField) {
  const std::string input =
      write("bad.jsonl",
            std::string(kAttention) +
                R"({"line": 3, "source": ["a"], "target": ["b"], "attention": [[1, 2]]})")
          .string();
  RunResult r = run_recur({"plot", "attention", "-i", input, "--line", "1", "-o", at("a.png")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr(input + ":3: field 'attention': row 0: expected 1 numbers"));
  const std::string csv = write("train_log.csv", "step,epoch,lr\n1,1,0.1\n").string();
  r = run_recur({"plot", "training", csv, "-o", at("t.png")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr(csv + ":1: field 'loss': missing column"));
  r = run_recur({"plot", "attention", "-i", write("ok.jsonl", kAttention).string(), "--line", "9",
                 "-o", at("a.png")});
  EXPECT_EQ(r.code, 1);
  EXPECT_THAT(r.err, HasSubstr("no record for line 9"));
}

TEST_F(Plot, ImageAttentionDrawsAPanelPerWord) {
  // A 12 x 20 image as the caption fixture's model sees them, with a 3 x 5 grid.
  const std::string image(RECUR_TEST_DATA_DIR "/viz/red_square.png");
  std::string weights = "[";
  for (int i = 0; i < 15; ++i) weights += std::string(i ? "," : "") + (i == 7 ? "1" : "0");
  weights += "]";
  const std::string input =
      write("cap.jsonl", R"({"line": 1, "path": "red_square.png", "grid": [3, 5], )"
                         R"("words": ["red", "square", "</s>"], "attention": [)" +
                             weights + "," + weights + "," + weights + "]}\n")
          .string();
  const RunResult r = run_recur({"plot", "image-attention", "-i", input, "--image-root",
                                 RECUR_TEST_DATA_DIR "/viz", "--line", "1", "-o", at("c.png")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(is_png(at("c.png")));
  const RunResult missing =
      run_recur({"plot", "image-attention", "-i", input, "--line", "1", "-o", at("d.png")});
  EXPECT_EQ(missing.code, 1);
  EXPECT_THAT(missing.err, HasSubstr("red_square.png (no such file)"));
}

TEST_F(Plot, ReportIsOneSelfContainedPage) {
  const std::string input = write("att.jsonl", kAttention).string();
  const RunResult r = run_recur({"report", "--attention", input, "--training", kModels + "en-fr",
                                 "--training", kModels + "en-de", "-o", at("r.html")});
  ASSERT_EQ(r.code, 0) << r.err;
  std::ifstream in(at("r.html"));
  const std::string html{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::size_t panels = 0;
  for (std::size_t p = html.find("class=\"panel\""); p != std::string::npos;
       p = html.find("class=\"panel\"", p + 1)) {
    ++panels;
  }
  EXPECT_EQ(panels, 3u);  // training, and the two attention records
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
}

}  // namespace
}  // namespace recur::testing
