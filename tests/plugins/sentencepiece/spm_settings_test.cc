// Settings of the sentencepiece tokenizer as a pipeline YAML gives them (needs the config
// layer).
#include <gtest/gtest.h>

#include "recur/config/section.h"
#include "recur/core/error.h"
#include "spm_tokenizer.h"

namespace recur::plugins {
namespace {

config::Section tokenizer_section(const std::string& yaml) {
  return config::load_string(yaml, "pipeline.yaml", "/models/m").section("tokenizer");
}

TEST(SentencePieceSettings, ModelPathResolvesAgainstTheYamlDirectory) {
  EXPECT_EQ(parse_sentencepiece_settings(tokenizer_section("tokenizer:\n  model: spm.model\n")).model,
            "/models/m/spm.model");
}

TEST(SentencePieceSettings, MissingModelAndUnknownKeysAreConfigErrors) {
  EXPECT_THROW(parse_sentencepiece_settings(tokenizer_section("tokenizer:\n  vocab: x\n")), ConfigError);
  EXPECT_THROW(parse_sentencepiece_settings(tokenizer_section("tokenizer:\n  model: a\n  modle: b\n")),
               ConfigError);
}

TEST(SentencePieceSettings, FactoryReportsAMissingModelFile) {
  try {
    sentencepiece_tokenizer_factory(tokenizer_section("tokenizer:\n  model: nowhere.model\n"), BuildContext{});
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("/models/m/nowhere.model"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace recur::plugins
