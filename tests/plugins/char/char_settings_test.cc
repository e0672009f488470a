// Settings of the char tokenizer as a pipeline YAML gives them (needs the config layer).
#include <gtest/gtest.h>

#include "char_tokenizer.h"
#include "recur/config/section.h"
#include "recur/core/error.h"

namespace recur::plugins {
namespace {

CharTokenizerSettings parse(const std::string& yaml) {
  return parse_char_settings(config::load_string(yaml, "pipeline.yaml", "/models/m").section("tokenizer"));
}

std::string config_error(const std::string& yaml) {
  try {
    parse(yaml);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(CharSettings, PathsResolveAgainstTheYamlDirectory) {
  EXPECT_EQ(parse("tokenizer:\n  vocab: chars.txt\n").vocab, "/models/m/chars.txt");
  const CharTokenizerSettings s = parse("tokenizer:\n  corpus: train.fr\n  min_count: 2\n  max_size: 300\n");
  EXPECT_EQ(s.corpus, "/models/m/train.fr");
  EXPECT_EQ(s.corpus_options.min_count, 2);
  EXPECT_EQ(s.corpus_options.max_size, 300);
}

TEST(CharSettings, ErrorsNameFileLineAndKey) {
  EXPECT_NE(config_error("tokenizer:\n  vocab: a.txt\n  corpus: b.txt\n").find("pipeline.yaml:3"), std::string::npos);
  EXPECT_NE(config_error("tokenizer:\n  min_count: 2\n").find("vocab"), std::string::npos);
  EXPECT_NE(config_error("tokenizer:\n  vocab: a.txt\n  min_count: 2\n").find("min_count"), std::string::npos);
  EXPECT_NE(config_error("tokenizer:\n  corpus: a.txt\n  min_count: 0\n").find("min_count"), std::string::npos);
}

}  // namespace
}  // namespace recur::plugins
