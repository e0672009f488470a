// Pretrained text vectors: rows of the vocabulary's words are set, others kept; malformed
// files are errors naming file and line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "bilstm_encoder.h"
#include "glove.h"
#include "recur/config/section.h"
#include "recur/core/error.h"

namespace recur::encoders {
namespace {

class GloveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("recur_glove_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    write("vocab.txt", "the\ncat\nsat\n");  // ids 4, 5, 6
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }
  std::string io_error(const std::string& vectors) {
    Tensor table = Tensor::full({7, 3}, 9.0f);
    try {
      load_glove(write("v.txt", vectors), text::load_vocab(dir_ / "vocab.txt", text::SymbolKind::kWord), table);
    } catch (const IoError& e) {
      return e.what();
    }
    return "";
  }

  std::filesystem::path dir_;
};

TEST_F(GloveTest, SetsTheRowsOfKnownWords) {
  Tensor table = Tensor::full({7, 3}, 9.0f);
  auto vectors = write("v.txt", "cat 1 2 3\ndog 4 5 6\nthe -0.5 1e-2 0\ncat 7 7 7\n");
  EXPECT_EQ(load_glove(vectors, text::load_vocab(dir_ / "vocab.txt", text::SymbolKind::kWord), table), 2);
  std::vector<float> want(21, 9.0f);
  for (int k = 0; k < 3; ++k) {
    want[static_cast<std::size_t>(4 * 3 + k)] = std::vector<float>{-0.5f, 0.01f, 0.0f}[static_cast<std::size_t>(k)];
    want[static_cast<std::size_t>(5 * 3 + k)] = static_cast<float>(k + 1);  // the first "cat" wins
  }
  EXPECT_EQ(table.to_vector(), want);
}

TEST_F(GloveTest, MalformedLinesNameFileAndLine) {
  EXPECT_NE(io_error("cat 1 2 3\nsat 1 2\n").find("v.txt:2"), std::string::npos);
  EXPECT_NE(io_error("cat 1 2 x\n").find("v.txt:1"), std::string::npos);
  EXPECT_NE(io_error("cat 1 2 3 4\n").find("more than 3 numbers"), std::string::npos);
}

TEST_F(GloveTest, FactoryLoadsAndFreezes) {
  write("v.txt", "sat 1 2 3 4\n");
  auto yaml = "encoder:\n  embedding_size: 4\n  hidden_size: 2\n  embeddings: v.txt\n"
              "  embeddings_vocab: vocab.txt\n  freeze_embeddings: true\n";
  BuildContext ctx;
  ctx.source_vocab_size = 7;
  auto enc = bilstm_factory(config::load_string(yaml, "p.yaml", dir_).section("encoder"), ctx);
  Tensor table = enc->named_parameters()[0].second;
  const std::vector<float> values = table.to_vector();
  EXPECT_EQ(std::vector<float>(values.begin() + 24, values.end()), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_FALSE(table.requires_grad());

  // A vocabulary of another size than the source tokenizer's is an error at the key.
  ctx.source_vocab_size = 8;
  try {
    bilstm_factory(config::load_string(yaml, "p.yaml", dir_).section("encoder"), ctx);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("p.yaml:4"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace recur::encoders
