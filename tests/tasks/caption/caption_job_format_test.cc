// The captioning job's output formats: TSV with and without scores, n-best, JSON lines,
// and the attention side file (grid, words with </s>, one row of grid weights per word).
#include <gmock/gmock.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "caption_job_fixture.h"

namespace recur::testing {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1) {
    out.push_back(line.substr(start, tab - start));
  }
  out.push_back(line.substr(start));
  return out;
}

class CaptionFormats : public CaptionJobTest {
 protected:
  void SetUp() override {
    CaptionJobTest::SetUp();
    a_ = scene("a.png", {0, true, true, true});
    b_ = scene("b.png", {1, false, false, false});
    write_text(dir_.path() / "bad.png", "not an image");
  }
  std::vector<std::string> lines() const { return {a_, "bad.png", b_}; }

  std::string a_, b_;
};

TEST_F(CaptionFormats, TsvIsPathTabCaption) {
  const auto out = split_lines(run(lines()).out);
  ASSERT_EQ(out.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto f = fields(out[i]);
    ASSERT_EQ(f.size(), 2u) << out[i];
    EXPECT_EQ(f[0], lines()[i]);
    EXPECT_EQ(f[1].empty(), i == 1) << out[i];
  }
}

TEST_F(CaptionFormats, ScoresAreAThirdTsvField) {
  JobRequest request;
  request.scores = true;
  const auto with = split_lines(run(lines(), request).out);
  const auto without = split_lines(run(lines()).out);
  ASSERT_EQ(with.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto f = fields(with[i]);
    ASSERT_EQ(f.size(), 3u) << with[i];
    EXPECT_EQ(f[0] + "\t" + f[1], without[i]);
    const double score = std::stod(f[2]);
    if (i == 1) {
      EXPECT_EQ(score, 0.0);
    } else {
      EXPECT_LT(score, 0.0);
    }
  }
}

TEST_F(CaptionFormats, NBestIsNLinesOfPathRankCaptionScoreBestFirst) {
  const auto out = split_lines(run(lines(), {}, 5).out);  // the pipeline's beam 5, n-best 5
  ASSERT_EQ(out.size(), 15u);
  const auto one_best = split_lines(run(lines()).out);
  for (std::size_t i = 0; i < 3; ++i) {
    double previous = 0;
    for (std::size_t k = 0; k < 5; ++k) {
      const auto f = fields(out[i * 5 + k]);
      ASSERT_EQ(f.size(), 4u) << out[i * 5 + k];
      EXPECT_EQ(f[0], lines()[i]);
      EXPECT_EQ(f[1], std::to_string(k));
      const double score = std::stod(f[3]);
      if (i == 1) {
        EXPECT_EQ(f[2], "");
        EXPECT_EQ(score, 0.0);
        continue;
      }
      if (k == 0) {
        EXPECT_EQ(f[0] + "\t" + f[2], one_best[i]);
      } else {
        EXPECT_LE(score, previous) << out[i * 5 + k];
      }
      previous = score;
    }
  }
}

TEST_F(CaptionFormats, JsonLinesHoldPathCaptionScoreNBestAndErrors) {
  JobRequest request;
  request.json = true;
  const auto out = split_lines(run(lines(), request, 3).out);
  const auto tsv = split_lines(run(lines(), {}, 3).out);
  ASSERT_EQ(out.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto j = nlohmann::json::parse(out[i]);
    EXPECT_EQ(j["path"], lines()[i]);
    ASSERT_TRUE(j["n_best"].is_array());
    if (i == 1) {
      EXPECT_EQ(j["caption"], "");
      EXPECT_TRUE(j["n_best"].empty());
      EXPECT_THAT(j["error"].get<std::string>(), HasSubstr("bad.png"));
      continue;
    }
    EXPECT_FALSE(j.contains("error"));
    ASSERT_EQ(j["n_best"].size(), 3u);
    EXPECT_EQ(j["caption"], j["n_best"][0]["caption"]);
    EXPECT_EQ(j["score"], j["n_best"][0]["score"]);
    for (std::size_t k = 0; k < 3; ++k) {
      EXPECT_EQ(j["n_best"][k]["caption"].get<std::string>(), fields(tsv[i * 3 + k])[2]);
    }
  }
}

TEST_F(CaptionFormats, TheAttentionFileHasTheGridAndOneRowPerWordIncludingEos) {
  JobRequest request;
  request.side_output = true;
  const JobResult r = run(lines(), request);
  const auto out = split_lines(r.out);
  const auto side = split_lines(r.side);
  ASSERT_EQ(side.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto j = nlohmann::json::parse(side[i]);
    EXPECT_EQ(j["line"], i + 1);
    EXPECT_EQ(j["path"], lines()[i]);
    if (i == 1) {
      EXPECT_TRUE(j["grid"].empty());
      EXPECT_TRUE(j["words"].empty());
      EXPECT_TRUE(j["attention"].empty());
      continue;
    }
    EXPECT_EQ(j["grid"], nlohmann::json::array({3, 5}));  // 12x20 pooled twice
    const auto words = j["words"].get<std::vector<std::string>>();
    ASSERT_FALSE(words.empty());
    EXPECT_EQ(words.back(), "</s>");
    std::string caption;
    for (std::size_t w = 0; w + 1 < words.size(); ++w) caption += (w ? " " : "") + words[w];
    EXPECT_EQ(lines()[i] + "\t" + caption, out[i]);
    ASSERT_EQ(j["attention"].size(), words.size());
    for (const auto& row : j["attention"]) {
      ASSERT_EQ(row.size(), 15u);
      double sum = 0;
      for (const auto& w : row) sum += w.get<double>();
      EXPECT_NEAR(sum, 1.0, 1e-4);
    }
  }
}

}  // namespace
}  // namespace recur::testing
