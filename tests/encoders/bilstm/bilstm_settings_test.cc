// Settings of the bilstm encoder as a pipeline YAML gives them, and its factory.
#include <gtest/gtest.h>

#include <fstream>

#include "bilstm_encoder.h"
#include "framework/nn/temp_dir.h"
#include "recur/config/section.h"
#include "recur/core/error.h"

namespace recur::encoders {
namespace {

config::Section section(const std::string& yaml) {
  return config::load_string(yaml, "pipeline.yaml", "/models/m").section("encoder");
}

std::string config_error(const std::string& yaml) {
  try {
    parse_bilstm_settings(section(yaml));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(BiLstmSettings, DefaultsAreTheSpecs) {
  BiLstmSettings s = parse_bilstm_settings(section("encoder: {}\n"));
  EXPECT_EQ(s.embedding_size, 256);
  EXPECT_EQ(s.hidden_size, 256);
  EXPECT_EQ(s.layers, 2);
  EXPECT_FLOAT_EQ(s.dropout, 0.2f);
  EXPECT_FLOAT_EQ(s.weight_drop, 0.0f);
  EXPECT_TRUE(s.embeddings.empty());
  EXPECT_FALSE(s.freeze_embeddings);
  EXPECT_EQ(s.cell, ops::RnnCell::lstm);
  EXPECT_TRUE(s.bidirectional);
}

TEST(BiLstmSettings, ReadsTheCell) {
  EXPECT_EQ(parse_bilstm_settings(section("encoder:\n  cell: gru\n")).cell, ops::RnnCell::gru);
  EXPECT_EQ(parse_bilstm_settings(section("encoder:\n  cell: rnn\n")).cell, ops::RnnCell::tanh);
  EXPECT_EQ(parse_bilstm_settings(section("encoder:\n  cell: lstm\n")).cell, ops::RnnCell::lstm);
  const std::string e = config_error("encoder:\n  cell: tanh\n");
  EXPECT_NE(e.find("pipeline.yaml:2"), std::string::npos) << e;
  EXPECT_NE(e.find("cell"), std::string::npos) << e;
}

TEST(BiLstmSettings, ReadsEveryKey) {
  BiLstmSettings s = parse_bilstm_settings(section(
      "encoder:\n  embedding_size: 8\n  hidden_size: 16\n  layers: 3\n  dropout: 0.1\n"
      "  weight_drop: 0.5\n  embeddings: glove.txt\n  embeddings_vocab: vocab.en\n"
      "  freeze_embeddings: true\n  seed: 42\n  bidirectional: false\n"));
  EXPECT_FALSE(s.bidirectional);
  EXPECT_EQ(s.embedding_size, 8);
  EXPECT_EQ(s.hidden_size, 16);
  EXPECT_EQ(s.layers, 3);
  EXPECT_FLOAT_EQ(s.dropout, 0.1f);
  EXPECT_FLOAT_EQ(s.weight_drop, 0.5f);
  EXPECT_EQ(s.embeddings, "/models/m/glove.txt");
  EXPECT_EQ(s.embeddings_vocab, "/models/m/vocab.en");
  EXPECT_TRUE(s.freeze_embeddings);
  EXPECT_EQ(s.seed, 42u);
}

TEST(BiLstmSettings, ErrorsNameFileLineAndKey) {
  EXPECT_NE(config_error("encoder:\n  hidden_size: 0\n").find("pipeline.yaml:2"), std::string::npos);
  EXPECT_NE(config_error("encoder:\n  hidden: 3\n").find("hidden"), std::string::npos);
  EXPECT_NE(config_error("encoder:\n  dropout: 1\n").find("below 1"), std::string::npos);
  EXPECT_NE(config_error("encoder:\n  dropout: -0.1\n").find("dropout"), std::string::npos);
  EXPECT_NE(config_error("encoder:\n  embeddings: g.txt\n").find("embeddings_vocab"), std::string::npos);
  EXPECT_NE(config_error("encoder:\n  embeddings_vocab: v.txt\n").find("embeddings_vocab"),
            std::string::npos);
}

TEST(BiLstmFactory, BuildsFromTheContextAndNeedsATextSource) {
  BuildContext ctx;
  ctx.source_vocab_size = 9;
  auto enc = bilstm_factory(section("encoder:\n  embedding_size: 4\n  hidden_size: 3\n"), ctx);
  EXPECT_EQ(enc->memory_size(), 6);
  EXPECT_EQ(enc->summary_size(), 6);
  EXPECT_EQ(enc->named_parameters()[0].second.shape(), (Shape{9, 4}));
  // A target pad id outside the source vocabulary (sentencepiece models of different
  // sizes) leaves the encoder without a padding row.
  ctx.pad_id = 9;
  EXPECT_NO_THROW(bilstm_factory(section("encoder:\n  hidden_size: 3\n"), ctx));
  ctx.source_vocab_size = 0;
  EXPECT_THROW(bilstm_factory(section("encoder: {}\n"), ctx), ConfigError);
}

// Pretrained vectors (GloVe or word2vec text) are read when the encoder is built; the
// format itself is tested with recur/nn/pretrained_embeddings.h.
TEST(BiLstmFactory, LoadsPretrainedEmbeddingsAndFreezes) {
  testing::TempDir dir;
  std::ofstream(dir / "vocab.txt") << "the\ncat\nsat\n";  // ids 4, 5, 6
  std::ofstream(dir / "v.txt") << "1 4\nsat 1 2 3 4\n";    // word2vec: a header line
  auto yaml = "encoder:\n  embedding_size: 4\n  hidden_size: 2\n  embeddings: v.txt\n"
              "  embeddings_vocab: vocab.txt\n  freeze_embeddings: true\n";
  BuildContext ctx;
  ctx.source_vocab_size = 7;
  auto enc = bilstm_factory(config::load_string(yaml, "p.yaml", dir.path()).section("encoder"), ctx);
  Tensor table = enc->named_parameters()[0].second;
  const std::vector<float> values = table.to_vector();
  EXPECT_EQ(std::vector<float>(values.begin() + 24, values.end()), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_FALSE(table.requires_grad());

  // A vocabulary of another size than the source tokenizer's is an error at the key.
  ctx.source_vocab_size = 8;
  try {
    bilstm_factory(config::load_string(yaml, "p.yaml", dir.path()).section("encoder"), ctx);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("p.yaml:4"), std::string::npos) << e.what();
  }
  // No word of the vocabulary in the file: an error at the key, naming both files.
  ctx.source_vocab_size = 7;
  std::ofstream(dir / "v.txt") << "dog 1 2 3 4\n";
  try {
    bilstm_factory(config::load_string(yaml, "p.yaml", dir.path()).section("encoder"), ctx);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("no word of the vocabulary"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace recur::encoders
