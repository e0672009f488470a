// Attention JSONL: good records of both kinds, and every bad shape named by FILE:LINE and
// field.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "recur/core/error.h"
#include "recur/viz/attention_records.h"

namespace recur::viz {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class Records : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("recur_records_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& text) {
    const fs::path path = dir_ / "att.jsonl";
    std::ofstream(path) << text;
    return path;
  }
  std::string text_error(const std::string& text, std::vector<std::uint64_t> lines = {}) {
    try {
      read_text_attention(write(text), lines);
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  }
  fs::path dir_;
};

constexpr const char* kGood =
    R"({"line": 1, "source": ["▁a", "</s>"], "target": ["▁b", "▁c", "</s>"], )"
    R"("attention": [[0.9, 0.1], [0.5, 0.5], [0.2, 0.8]]})"
    "\n\n"
    R"({"line": 2, "source": [], "target": [], "attention": []})"
    "\n";

TEST_F(Records, ReadsTextAttentionAndSelectsLines) {
  const auto all = read_text_attention(write(kGood), {});
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].target.size(), 3u);
  EXPECT_FLOAT_EQ(all[0].weights[2][1], 0.8f);
  const auto second = read_text_attention(write(kGood), {2});
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].line, 2u);
}

TEST_F(Records, ErrorsNameFileLineAndField) {
  const std::string file = (dir_ / "att.jsonl").string();
  EXPECT_THAT(
      text_error(R"({"line": 1, "source": ["a"], "target": ["b"], "attention": [[0.5, 0.5]]})"),
      HasSubstr(file + ":1: field 'attention': row 0: expected 1 numbers"));
  EXPECT_THAT(text_error(std::string(kGood) + R"({"source": [], "target": [], "attention": []})"),
              HasSubstr(file + ":4: field 'line': missing"));
  EXPECT_THAT(
      text_error(R"({"line": 1, "source": ["a"], "target": ["b", "c"], "attention": [[1]]})"),
      HasSubstr(":1: field 'attention': expected 2 rows (one per target piece), found 1"));
  EXPECT_THAT(text_error(R"({"line": -3, "source": [], "target": [], "attention": []})"),
              HasSubstr(":1: field 'line': expected a non-negative integer"));
  EXPECT_THAT(text_error(R"({"line": 1, "source": [1], "target": [], "attention": []})"),
              HasSubstr(":1: field 'source': expected a list of strings"));
  EXPECT_THAT(text_error("{not json\n"), HasSubstr(file + ":1: not a JSON object"));
  EXPECT_THAT(text_error(kGood, {7}), HasSubstr("no record for line 7 (records cover lines 1-2)"));
  EXPECT_THAT(
      text_error(R"({"line": 1, "path": "a.png", "grid": [1, 1], "words": [], "attention": []})"),
      HasSubstr(":1: field 'grid': this is image attention"));
}

TEST_F(Records, ReadsImageAttentionAndChecksTheGrid) {
  const fs::path good =
      write(R"({"line": 3, "path": "img.png", "grid": [2, 3], "words": ["red", "</s>"], )"
            R"("attention": [[1, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 1]]})"
            "\n");
  const auto records = read_image_attention(good, {3});
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].grid_h, 2);
  EXPECT_EQ(records[0].grid_w, 3);
  EXPECT_EQ(records[0].words[0], "red");

  auto image_error = [&](const std::string& text) -> std::string {
    try {
      read_image_attention(write(text), {});
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  };
  EXPECT_THAT(
      image_error(
          R"({"line": 1, "path": "a.png", "grid": [2], "words": ["x"], "attention": [[1]]})"),
      HasSubstr(":1: field 'grid': expected [GH, GW]"));
  EXPECT_THAT(
      image_error(
          R"({"line": 1, "path": "a.png", "grid": [1, 2], "words": ["x"], "attention": [[1]]})"),
      HasSubstr(":1: field 'attention': row 0: expected 2 numbers (GH*GW), found 1"));
  EXPECT_THAT(image_error(R"({"line": 1, "grid": [1, 1], "words": ["x"], "attention": [[1]]})"),
              HasSubstr(":1: field 'path': missing"));
}

}  // namespace
}  // namespace recur::viz
