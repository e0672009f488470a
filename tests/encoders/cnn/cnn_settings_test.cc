// Settings of the cnn encoder as a pipeline YAML gives them: defaults, every key, and
// errors that name file:line and the key.
#include <gtest/gtest.h>

#include "cnn_encoder.h"
#include "recur/config/section.h"
#include "recur/core/error.h"

namespace recur::encoders {
namespace {

config::Section section(const std::string& yaml) {
  return config::load_string(yaml, "pipeline.yaml", "/models/m").section("encoder");
}

std::string config_error(const std::string& yaml) {
  try {
    parse_cnn_settings(section(yaml));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(CnnSettings, DefaultsAndEveryKey) {
  CnnSettings d = parse_cnn_settings(section("encoder:\n  stages: [{channels: 8}]\n"));
  ASSERT_EQ(d.stages.size(), 1u);
  EXPECT_EQ(d.in_channels, 3);
  EXPECT_EQ(d.stages[0].blocks, 1);
  EXPECT_EQ(d.stages[0].kernel, 3);
  EXPECT_EQ(d.stages[0].stride, 1);
  EXPECT_EQ(d.stages[0].pool, 2);
  EXPECT_EQ(d.pool, CnnPool::max);
  EXPECT_FALSE(d.residual);
  EXPECT_EQ(d.output_size, 0);

  CnnSettings s = parse_cnn_settings(section(
      "encoder:\n  in_channels: 1\n  stages:\n"
      "    - {channels: 4, blocks: 2, kernel: 5, stride: 2, pool: 1}\n"
      "    - {channels: 6}\n  pool: avg\n  residual: true\n  output_size: 7\n  dropout: 0.25\n"
      "  seed: 9\n"));
  ASSERT_EQ(s.stages.size(), 2u);
  EXPECT_EQ(s.in_channels, 1);
  EXPECT_EQ(s.stages[0].channels, 4);
  EXPECT_EQ(s.stages[0].blocks, 2);
  EXPECT_EQ(s.stages[0].kernel, 5);
  EXPECT_EQ(s.stages[0].stride, 2);
  EXPECT_EQ(s.stages[0].pool, 1);
  EXPECT_EQ(s.stages[1].channels, 6);
  EXPECT_EQ(s.pool, CnnPool::avg);
  EXPECT_TRUE(s.residual);
  EXPECT_EQ(s.output_size, 7);
  EXPECT_FLOAT_EQ(s.dropout, 0.25f);
  EXPECT_EQ(s.seed, 9u);
}

TEST(CnnSettings, ErrorsNameFileLineAndKey) {
  const std::string even = config_error("encoder:\n  stages:\n    - {channels: 4, kernel: 4}\n");
  EXPECT_NE(even.find("pipeline.yaml:3"), std::string::npos) << even;
  EXPECT_NE(even.find("kernel"), std::string::npos) << even;
  EXPECT_NE(even.find("odd"), std::string::npos) << even;

  const std::string none = config_error("encoder:\n  stages: []\n");
  EXPECT_NE(none.find("stages"), std::string::npos) << none;
  EXPECT_NE(config_error("encoder:\n  pool: 2\n").find("stages"), std::string::npos);

  const std::string pool = config_error("encoder:\n  stages: [{channels: 4}]\n  pool: median\n");
  EXPECT_NE(pool.find("pipeline.yaml:3"), std::string::npos) << pool;
  EXPECT_NE(pool.find("pool"), std::string::npos) << pool;
  EXPECT_NE(pool.find("median"), std::string::npos) << pool;

  EXPECT_NE(config_error("encoder:\n  stages: [{blocks: 2}]\n").find("channels"),
            std::string::npos);
  EXPECT_NE(config_error("encoder:\n  stages: [{channels: 4, stride: 0}]\n").find("stride"),
            std::string::npos);
  EXPECT_NE(config_error("encoder:\n  stages: [{channels: 4, size: 3}]\n").find("size"),
            std::string::npos);
  EXPECT_NE(config_error("encoder:\n  stages: [{channels: 4}]\n  dropout: 1\n").find("below 1"),
            std::string::npos);
  EXPECT_NE(config_error("encoder:\n  stages: [{channels: 4}]\n  width: 3\n").find("width"),
            std::string::npos);
}

}  // namespace
}  // namespace recur::encoders
