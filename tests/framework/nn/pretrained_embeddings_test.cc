// Pretrained word vectors (GloVe and word2vec text): rows of the vocabulary's words are
// set, others kept; the report counts coverage; malformed files are IoErrors naming
// file:line.
#include "recur/nn/pretrained_embeddings.h"

#include <gtest/gtest.h>

#include <fstream>

#include "recur/core/error.h"
#include "framework/nn/temp_dir.h"

namespace recur::nn {
namespace {

class PretrainedEmbeddingsTest : public ::testing::Test {
 protected:
  PretrainedEmbeddingsTest() : vocab_({"the", "cat", "sat"}) {}  // ids 4, 5, 6

  std::filesystem::path write(const std::string& text) {
    std::ofstream(dir_ / "v.txt", std::ios::binary) << text;
    return dir_ / "v.txt";
  }
  PretrainedEmbeddingsReport load(const std::string& text) {
    return load_pretrained_embeddings(write(text), vocab_, table_);
  }
  std::string io_error(const std::string& text) {
    try {
      load(text);
    } catch (const IoError& e) {
      return e.what();
    }
    return "";
  }
  // The table with rows `the` and `cat` set (9 elsewhere).
  static std::vector<float> the_and_cat(std::vector<float> the, std::vector<float> cat) {
    std::vector<float> want(21, 9.0f);
    std::copy(the.begin(), the.end(), want.begin() + 4 * 3);
    std::copy(cat.begin(), cat.end(), want.begin() + 5 * 3);
    return want;
  }

  testing::TempDir dir_;
  text::Vocab vocab_;
  Tensor table_ = Tensor::full({7, 3}, 9.0f);
};

TEST_F(PretrainedEmbeddingsTest, GloveSetsTheRowsOfKnownWordsAndReportsCoverage) {
  const auto report = load("cat 1 2 3\ndog 4 5 6\nthe -0.5 1e-2 0\ncat 7 7 7\n");
  EXPECT_EQ(report.format, VectorFormat::glove);
  EXPECT_EQ(report.rows_found, 2);
  EXPECT_EQ(report.vocab_size, 7);
  EXPECT_EQ(report.vectors_read, 4);
  EXPECT_DOUBLE_EQ(report.coverage(), 2.0 / 7.0);
  EXPECT_EQ(table_.to_vector(), the_and_cat({-0.5f, 0.01f, 0.0f}, {1, 2, 3}));  // the first "cat" wins
}

TEST_F(PretrainedEmbeddingsTest, GloveWordsMayContainSpacesAndLinesEndInCrlf) {
  vocab_ = text::Vocab({"the", "a b", "sat"});
  const auto report = load("a b 1 1 1\r\nthe 1 2 3\r\n");
  EXPECT_EQ(report.rows_found, 2);
  EXPECT_EQ(table_.to_vector(), the_and_cat({1, 2, 3}, {1, 1, 1}));
}

TEST_F(PretrainedEmbeddingsTest, DetectsWord2vecHeaderAndTrailingSpaces) {
  const auto report = load("3 3\ncat 1 2 3 \nthe 4 5 6 \nmat 0 0 0 \n");
  EXPECT_EQ(report.format, VectorFormat::word2vec);
  EXPECT_EQ(report.rows_found, 2);
  EXPECT_EQ(report.vectors_read, 3);
  EXPECT_EQ(table_.to_vector(), the_and_cat({4, 5, 6}, {1, 2, 3}));
}

TEST_F(PretrainedEmbeddingsTest, Word2vecHeaderMustMatchTheTableAndTheFile) {
  EXPECT_EQ(io_error("2 4\ncat 1 2 3 4\n").rfind((dir_ / "v.txt").string() + ":1: the word2vec header "
                                                 "announces 4-dimensional vectors, embedding_size is 3", 0),
            0u);
  EXPECT_NE(io_error("3 3\ncat 1 2 3\n").find("announces 3 vectors, the file has 1"), std::string::npos);
}

TEST_F(PretrainedEmbeddingsTest, MalformedLinesNameFileAndLine) {
  const std::string file = (dir_ / "v.txt").string();
  EXPECT_EQ(io_error("cat 1 2 3\nsat 1 2\n"), file + ":2: expected a word and 3 numbers, got 3 fields");
  EXPECT_EQ(io_error("cat 1 2 x\n"), file + ":1: field 4 is not a number: \"x\"");
  EXPECT_EQ(io_error("1 3\ncat 1 2 3 4\n"), file + ":2: a vector of more than 3 numbers (embedding_size is 3)");
  EXPECT_EQ(io_error("cat 1 2 3\n\n"), file + ":2: expected a word and 3 numbers, got 1 fields");
  // A bad value leaves the row as it was.
  table_ = Tensor::full({7, 3}, 9.0f);
  EXPECT_EQ(io_error("cat 1 two 3\n").find(file + ":1:"), 0u);
  EXPECT_EQ(table_.to_vector(), std::vector<float>(21, 9.0f));
}

TEST_F(PretrainedEmbeddingsTest, TableMustFitTheVocabulary) {
  table_ = Tensor::full({8, 3}, 0.0f);
  EXPECT_NE(io_error("cat 1 2 3\n").find("the vocabulary has 7 ids, the embedding table 8 rows"),
            std::string::npos);
  EXPECT_THROW(load_pretrained_embeddings(dir_ / "missing.txt", vocab_, table_), IoError);
}

}  // namespace
}  // namespace recur::nn
