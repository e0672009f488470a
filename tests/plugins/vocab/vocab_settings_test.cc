// Settings of the char and whitespace tokenizers as a pipeline YAML gives them (needs the
// config layer).
#include <gtest/gtest.h>

#include "recur/config/section.h"
#include "recur/core/error.h"
#include "vocab_tokenizer.h"

namespace recur::plugins {
namespace {

class VocabSettings : public ::testing::TestWithParam<text::SymbolKind> {
 protected:
  VocabTokenizerSettings parse(const std::string& yaml) const {
    return parse_vocab_tokenizer_settings(
        config::load_string(yaml, "pipeline.yaml", "/models/m").section("tokenizer"), GetParam());
  }

  std::string config_error(const std::string& yaml) const {
    try {
      parse(yaml);
    } catch (const ConfigError& e) {
      return e.what();
    }
    return "";
  }
};

TEST_P(VocabSettings, PathsResolveAgainstTheYamlDirectory) {
  const VocabTokenizerSettings v = parse("tokenizer:\n  vocab: chars.txt\n");
  EXPECT_EQ(v.vocab, "/models/m/chars.txt");
  EXPECT_EQ(v.kind, GetParam());
  const VocabTokenizerSettings s = parse("tokenizer:\n  corpus: train.fr\n  min_count: 2\n  max_size: 300\n");
  EXPECT_EQ(s.corpus, "/models/m/train.fr");
  EXPECT_EQ(s.corpus_options.min_count, 2);
  EXPECT_EQ(s.corpus_options.max_size, 300);
}

TEST_P(VocabSettings, WordRulesAreWhitespaceOnly) {
  const std::string yaml = "tokenizer:\n  vocab: v.txt\n  lowercase: true\n  split_punctuation: true\n";
  if (GetParam() == text::SymbolKind::kWord) {
    const VocabTokenizerSettings s = parse(yaml);
    EXPECT_TRUE(s.corpus_options.words.lowercase);
    EXPECT_TRUE(s.corpus_options.words.split_punctuation);
    EXPECT_FALSE(parse("tokenizer:\n  vocab: v.txt\n").corpus_options.words.lowercase);
  } else {
    const std::string e = config_error(yaml);
    EXPECT_NE(e.find("pipeline.yaml:3"), std::string::npos) << e;
    EXPECT_NE(e.find("lowercase"), std::string::npos) << e;
  }
}

TEST_P(VocabSettings, ErrorsNameFileLineAndKey) {
  const VocabTokenizerSettings both = parse("tokenizer:\n  vocab: a.txt\n  corpus: b.txt\n");
  EXPECT_EQ(both.vocab, "/models/m/a.txt");
  EXPECT_EQ(both.corpus, "/models/m/b.txt");
  EXPECT_NE(config_error("tokenizer:\n  min_count: 2\n").find("vocab"), std::string::npos);
  EXPECT_NE(config_error("tokenizer:\n  vocab: a.txt\n  min_count: 2\n").find("min_count"), std::string::npos);
  EXPECT_NE(config_error("tokenizer:\n  corpus: a.txt\n  min_count: 0\n").find("min_count"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(CharAndWhitespace, VocabSettings,
                         ::testing::Values(text::SymbolKind::kChar, text::SymbolKind::kWord),
                         [](const auto& info) { return std::string(tokenizer_name(info.param)); });

}  // namespace
}  // namespace recur::plugins
