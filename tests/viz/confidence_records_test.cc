// Confidence JSONL: good records read back, every bad shape named by FILE:LINE and field.
#include "recur/viz/confidence_records.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "recur/core/error.h"

namespace recur::viz {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr const char* kGood =
    R"({"line": 1, "tokens": ["▁Bon", "jour", "</s>"], "top_k": [[["▁Bon", 0.6], ["▁Salut", 0.3]], )"
    R"([["jour", 0.9], ["soir", 0.05]], [["</s>", 0.97], ["▁!", 0.01]]]})"
    "\n\n"
    R"({"line": 2, "tokens": [], "top_k": []})"
    "\n";

class ConfidenceRecords : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("recur_confidence_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& text) {
    const fs::path path = dir_ / "conf.jsonl";
    std::ofstream(path) << text;
    return path;
  }
  std::string error(const std::string& text, std::vector<std::uint64_t> lines = {}) {
    try {
      read_confidence(write(text), lines);
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  }
  fs::path dir_;
};

TEST_F(ConfidenceRecords, ReadsEveryRecordOrTheLinesAsked) {
  const auto all = read_confidence(write(kGood), {});
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].line, 1u);
  EXPECT_EQ(all[0].tokens, (std::vector<std::string>{"▁Bon", "jour", "</s>"}));
  ASSERT_EQ(all[0].top_k.size(), 3u);
  EXPECT_EQ(all[0].top_k[1][1].piece, "soir");
  EXPECT_FLOAT_EQ(all[0].top_k[1][1].probability, 0.05f);
  EXPECT_TRUE(all[1].tokens.empty());
  const auto two = read_confidence(write(kGood), {2, 1});
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].line, 2u);
  EXPECT_EQ(two[1].line, 1u);
}

TEST_F(ConfidenceRecords, BadShapesNameFileLineAndField) {
  const std::string file = (dir_ / "conf.jsonl").string();
  const std::string good = std::string(kGood);
  // Line 5 of the file (kGood has a blank line 3).
  EXPECT_THAT(error(good + "\n" + R"({"tokens": [], "top_k": []})"), HasSubstr(file + ":5: field 'line': missing"));
  EXPECT_THAT(error(R"({"line": 1, "top_k": []})"), HasSubstr(file + ":1: field 'tokens': missing"));
  EXPECT_THAT(error(R"({"line": 1, "tokens": ["a"]})"), HasSubstr(file + ":1: field 'top_k': missing"));
  EXPECT_THAT(error(R"({"line": 1, "tokens": ["a", "b"], "top_k": [[["a", 1]]]})"),
              HasSubstr(file + ":1: field 'top_k': expected 2 steps (one per token), found 1"));
  EXPECT_THAT(error(R"({"line": 1, "tokens": ["a"], "top_k": [[["a", 1, 2]]]})"),
              HasSubstr(file + ":1: field 'top_k': step 0: expected [piece, probability]"));
  EXPECT_THAT(error(R"({"line": 1, "tokens": ["a"], "top_k": [[]]})"),
              HasSubstr(file + ":1: field 'top_k': step 0: expected a non-empty list"));
  EXPECT_THAT(error(R"({"line": 1, "tokens": ["a"], "top_k": [[["a", 1.5]]]})"),
              HasSubstr(file + ":1: field 'top_k': step 0: a probability is in [0, 1], found 1.5"));
  EXPECT_THAT(error(R"({"line": 1, "tokens": [3], "top_k": [[["a", 1]]]})"),
              HasSubstr(file + ":1: field 'tokens': expected a list of strings"));
  EXPECT_THAT(error(R"({"line": 1, "source": [], "target": [], "attention": []})"),
              HasSubstr(file + ":1: field 'attention': this is an attention record"));
  EXPECT_THAT(error("[1, 2]"), HasSubstr(file + ":1: not a JSON object"));
  EXPECT_THAT(error(kGood, {7}), HasSubstr("no record for line 7 (records cover lines 1-2)"));
}

}  // namespace
}  // namespace recur::viz
