// Batch settings: one set of defaults, one validation, the YAML naming file:line and key.
#include "recur/pipeline/job_options.h"

#include <gtest/gtest.h>

#include "recur/core/error.h"

namespace recur {
namespace {

config::Section yaml(const std::string& text) { return config::load_string(text, "p.yaml", "."); }

TEST(JobOptions, DefaultsAreValid) {
  JobOptions o;
  EXPECT_FALSE(check(o));
  EXPECT_EQ(o.batch.max_tokens, 4096);
  EXPECT_EQ(o.batch.max_rows, 128);
  EXPECT_EQ(o.maxi_batch, 1000);
  EXPECT_EQ(o.workers, 0);
}

TEST(JobOptions, CheckNamesTheKeyOfTheFirstBadValue) {
  JobOptions o;
  o.maxi_batch = -1;
  ASSERT_TRUE(check(o));
  EXPECT_EQ(check(o)->key, "maxi_batch");
  o = {};
  o.batch.max_tokens = 0;
  EXPECT_EQ(check(o)->key, "max_tokens");
  o = {};
  o.workers = -2;
  EXPECT_EQ(check(o)->key, "workers");
  o = {};
  o.batch.max_rows = JobOptions::kMaxRows + 1;
  EXPECT_EQ(check(o)->key, "max_rows");
}

TEST(JobOptions, YamlSectionIsParsedAndChecked) {
  auto root = yaml("batch:\n  max_tokens: 100\n  maxi_batch: 20\n");
  JobOptions o = parse_job_options(root.section("batch"));
  EXPECT_EQ(o.batch.max_tokens, 100);
  EXPECT_EQ(o.maxi_batch, 20);
  EXPECT_EQ(o.batch.max_rows, 128);
  auto bad = yaml("batch:\n  maxi_batch: 0\n");
  try {
    parse_job_options(bad.section("batch"));
    FAIL() << "accepted maxi_batch 0";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("p.yaml:2:15: batch.maxi_batch: expected an integer in [1, "), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(parse_job_options(yaml("batch:\n  max_token: 5\n").section("batch")), ConfigError);
}

}  // namespace
}  // namespace recur
