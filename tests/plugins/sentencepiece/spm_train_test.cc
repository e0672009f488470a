// The sentencepiece tokenizer_trainer: options, joint corpora, and the errors that name
// the corpus files; no temporary joint corpus is left behind on any path.
#include "spm_train.h"

#include <gtest/gtest.h>

#include <fstream>

#include "framework/nn/temp_dir.h"
#include "plugins/tokenizer_test_util.h"
#include "recur/config/section.h"
#include "recur/pipeline/vocabularies.h"
#include "recur/plugin/registry.h"
#include "spm_tokenizer.h"

namespace recur::plugins {
namespace {

namespace fs = std::filesystem;
using tokenizer_tests::error_of;
using tokenizer_tests::kMixedCorpus;

class SpmTrain : public ::testing::Test {
 protected:
  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return dir_ / name;
  }
  // Files in the directory, by name.
  std::vector<std::string> files() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_.path())) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
  TokenizerTrainOptions options(std::vector<fs::path> corpora, const std::string& model) {
    TokenizerTrainOptions o;
    o.corpora = std::move(corpora);
    o.model = dir_ / model;
    o.vocab_size = 120;
    return o;
  }
  testing::TempDir dir_;
};

TEST_F(SpmTrain, JointCorporaMakeOneModelAndTheJoinedFileIsRemoved) {
  // The first file does not end in a newline: its last line must not merge with the next.
  std::string en, fr;
  std::ifstream in(kMixedCorpus);
  for (std::string line; std::getline(in, line);) (en.size() < fr.size() ? en : fr) += line + "\n";
  en.pop_back();
  TokenizerTrainOptions o = options({write("a.en", en), write("a.fr", fr)}, "joint.bin");
  SentencePieceTrainer().train(o);
  EXPECT_EQ(files(), (std::vector<std::string>{"a.en", "a.fr", "joint.bin", "joint.vocab"}));
  const SentencePieceTokenizer tok(o.model);
  EXPECT_EQ(tok.vocab_size(), 120);
  EXPECT_EQ(tok.pad_id(), 0);
}

TEST_F(SpmTrain, EmptyCorporaAreAnErrorNamingThemAndLeaveNothing) {
  TokenizerTrainOptions o = options({write("a.en", ""), write("a.fr", "\n  \n\r\n")}, "spm.model");
  const std::string message = error_of([&] { SentencePieceTrainer().train(o); });
  EXPECT_EQ(message, "sentencepiece trainer: nothing to train the model " + o.model.string() + " on: " +
                         (dir_ / "a.en").string() + ", " + (dir_ / "a.fr").string() + " have no text");
  EXPECT_EQ(files(), (std::vector<std::string>{"a.en", "a.fr"}));
}

TEST_F(SpmTrain, FailedTrainingLeavesNoJoinedCorpus) {
  TokenizerTrainOptions o = options({kMixedCorpus, write("b.txt", "one more line\n")}, "big.model");
  o.vocab_size = 100000;  // far more than 90 lines can give, with an exact size
  const std::string message = error_of([&] { SentencePieceTrainer().train(o); });
  EXPECT_NE(message.find("training on " + kMixedCorpus.string() + ", " + (dir_ / "b.txt").string() + " failed"),
            std::string::npos)
      << message;
  EXPECT_EQ(files(), (std::vector<std::string>{"b.txt"}));
}

TEST_F(SpmTrain, InvalidOptionsAndMissingCorpora) {
  TokenizerTrainOptions o = options({dir_ / "no_corpus.txt"}, "x.model");
  EXPECT_NE(error_of([&] { train_sentencepiece(o); }).find("no_corpus.txt"), std::string::npos);
  o.corpora = {kMixedCorpus};
  o.model_type = "trigram";
  EXPECT_NE(error_of([&] { train_sentencepiece(o); }).find("unigram, bpe, char or word"), std::string::npos);
  o.model_type = "bpe";
  o.vocab_size = 4;
  EXPECT_NE(error_of([&] { train_sentencepiece(o); }).find("at least 5"), std::string::npos);
  o.vocab_size = 120;
  o.character_coverage = 0;
  EXPECT_THROW(train_sentencepiece(o), Error);
  EXPECT_TRUE(files().empty());
}

// `recur train` on an empty corpus: ensure_vocabularies reaches this trainer through the
// registry, and the error names the data files.
TEST_F(SpmTrain, EnsureVocabulariesReportsAnEmptyTrainingCorpus) {
  Registry registry;
  registry.add(TokenizerTrainer::kKind, "sentencepiece",
               [](const config::Section& s, const BuildContext& c) { return sentencepiece_trainer_factory(s, c); },
               "sentencepiece", "test");
  const config::Section root = config::load_string(
      "source:\n  tokenizer: {plugin: sentencepiece, model: spm.model}\n"
      "target:\n  tokenizer: {plugin: sentencepiece, model: spm.model}\n",
      "p.yaml", dir_.path());
  VocabularyTraining t;
  t.source_corpus = write("train.en", "");
  t.target_corpus = write("train.fr", "");
  const std::string message = error_of([&] { ensure_vocabularies(registry, root, t); });
  EXPECT_NE(message.find((dir_ / "train.en").string() + ", " + (dir_ / "train.fr").string() + " have no text"),
            std::string::npos)
      << message;
  EXPECT_EQ(files(), (std::vector<std::string>{"train.en", "train.fr"}));
}

}  // namespace
}  // namespace recur::plugins
