// Training logs: the shipped models' logs read, bad CSVs named by FILE:LINE and field.
#include "recur/viz/training_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <fstream>

#include "recur/core/error.h"
#include "recur/viz/plots.h"

namespace recur::viz {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string error_of(const std::string& text, bool valid) {
  const fs::path path =
      fs::temp_directory_path() / ("recur_log_" + std::to_string(::getpid()) + ".csv");
  std::ofstream(path) << text;
  std::string message = "no error";
  try {
    valid ? (void)read_valid_log(path) : (void)read_train_log(path);
  } catch (const Error& e) {
    message = e.what();
  }
  fs::remove(path);
  return message;
}

TEST(TrainingLog, ReadsAShippedRunFolder) {
  const TrainingRun run = read_training_run(fs::path(RECUR_SOURCE_DIR) / "models" / "en-fr");
  EXPECT_EQ(run.name, "en-fr");
  ASSERT_GT(run.train.size(), 10u);
  EXPECT_EQ(run.train[0].step, 50);
  EXPECT_TRUE(std::isfinite(run.train[0].lr));
  ASSERT_GT(run.valid.size(), 3u);
  EXPECT_EQ(run.valid[0].step, 500);
  EXPECT_TRUE(run.valid[0].metrics.count("bleu"));
  const Figure figure = training_figure({run});
  EXPECT_GT(figure.width, 0);
  EXPECT_FALSE(figure.hotspots.empty());  // the validation points
}

TEST(TrainingLog, ACsvIsToldApartByItsHeader) {
  const fs::path dir = fs::path(RECUR_SOURCE_DIR) / "models" / "en-de";
  EXPECT_FALSE(read_training_run(dir / "train_log.csv").train.empty());
  EXPECT_FALSE(read_training_run(dir / "valid_log.csv").valid.empty());
}

TEST(TrainingLog, ErrorsNameFileLineAndField) {
  EXPECT_THAT(error_of("step,epoch,ppl\n1,1,3\n", false),
              HasSubstr(".csv:1: field 'loss': missing column (header: step,epoch,ppl"));
  EXPECT_THAT(error_of("step,loss\n1,2.5\n2,abc\n", false),
              HasSubstr(".csv:3: field 'loss': not a number 'abc'"));
  EXPECT_THAT(error_of("step,loss\n1,2.5,7\n", false), HasSubstr(".csv:2: expected 2 fields"));
  EXPECT_THAT(error_of("500,bleu=2.5\n1000,bleu\n", true),
              HasSubstr(".csv:2: field 2: expected name=value, found 'bleu'"));
  EXPECT_THAT(error_of("x,bleu=2.5\n", true), HasSubstr(".csv:1: field 'step': not a number 'x'"));
  EXPECT_THAT(error_of("5,chrf=oops\n", true),
              HasSubstr(".csv:1: field 'chrf': not a number 'oops'"));
}

TEST(TrainingLog, AFolderWithoutLogsIsAnError) {
  EXPECT_THROW(read_training_run(fs::path(RECUR_SOURCE_DIR) / "docs"), Error);
}

}  // namespace
}  // namespace recur::viz
