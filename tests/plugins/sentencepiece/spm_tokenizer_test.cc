#include "spm_tokenizer.h"

#include <gtest/gtest.h>
#include <sentencepiece_trainer.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "plugins/tokenizer_test_util.h"
#include "recur/core/error.h"
#include "spm_train.h"

namespace recur::plugins {
namespace {

namespace fs = std::filesystem;
using tokenizer_tests::error_of;
using tokenizer_tests::kMixedCorpus;

// Trains one small model for the whole suite (a fraction of a second).
class SentencePiece : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("recur_spm_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    TokenizerTrainOptions o;
    o.corpora = {kMixedCorpus};
    o.model = dir_ / "tiny.model";
    o.vocab_size = 300;
    train_sentencepiece(o);
    model_ = o.model;
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }
  static fs::path dir_;
  static fs::path model_;
};
fs::path SentencePiece::dir_;
fs::path SentencePiece::model_;

TEST_F(SentencePiece, TrainedModelHasRecursSpecialIds) {
  ASSERT_TRUE(fs::is_regular_file(model_));
  ASSERT_TRUE(fs::is_regular_file(dir_ / "tiny.vocab"));
  const SentencePieceTokenizer tok(model_);
  EXPECT_EQ(tok.vocab_size(), 300);
  EXPECT_EQ(tok.pad_id(), 0);
  EXPECT_EQ(tok.bos_id(), 1);
  EXPECT_EQ(tok.eos_id(), 2);
  EXPECT_EQ(tok.unk_id(), 3);
  EXPECT_FALSE(tok.pad_is_appended());
  EXPECT_EQ(tok.pieces({0, 1, 2, 3}), (std::vector<std::string>{"<pad>", "<s>", "</s>", "<unk>"}));
}

TEST_F(SentencePiece, RoundTripsEnglishFrenchGerman) {
  const SentencePieceTokenizer tok(model_);
  for (const std::string text : {"The editor highlights the syntax of many programming languages.",
                                 "L'éditeur met en évidence la syntaxe ; le démon surveille le répertoire.",
                                 "Übersetzungen für größere Geräte sind verfügbar."}) {
    const std::vector<std::int64_t> ids = tok.encode(text);
    ASSERT_FALSE(ids.empty());
    for (std::int64_t id : ids) {
      EXPECT_GE(id, 4) << text;  // no specials, no unknowns: every character is in the corpus
      EXPECT_LT(id, tok.vocab_size());
    }
    EXPECT_LT(ids.size(), text.size());  // pieces longer than one character were learnt
    EXPECT_EQ(tok.decode(ids), text);
    std::string joined;
    for (const std::string& p : tok.pieces(ids)) joined += p;
    EXPECT_EQ(joined.substr(0, 3), "\xE2\x96\x81");  // word boundary marker U+2581
  }
}

TEST_F(SentencePiece, DecodeSkipsPadBosEosAndChecksRange) {
  const SentencePieceTokenizer tok(model_);
  const std::string text = "Das Programm wandelt Bilder um.";
  std::vector<std::int64_t> framed = {tok.bos_id()};
  for (std::int64_t id : tok.encode(text)) framed.push_back(id);
  framed.insert(framed.end(), {tok.eos_id(), tok.pad_id(), tok.pad_id()});
  EXPECT_EQ(tok.decode(framed), text);
  EXPECT_NE(error_of([&] { tok.decode({5, 300}); }).find("token id 300"), std::string::npos);
  EXPECT_NE(error_of([&] { tok.pieces({-2}); }).find("token id -2"), std::string::npos);
}

TEST_F(SentencePiece, UnknownCharactersMapToUnk) {
  const SentencePieceTokenizer tok(model_);
  const std::vector<std::int64_t> ids = tok.encode("日本");
  EXPECT_NE(std::find(ids.begin(), ids.end(), tok.unk_id()), ids.end());
}

// SurfaceTokenizer: one surface per id; an unknown piece is its characters, and
// decode_words() writes them back where the unknown id would decode as " ⁇ ".
TEST_F(SentencePiece, SurfacesOfUnknownPiecesAreTheirCharactersAndDecodeBack) {
  const SentencePieceTokenizer tok(model_);
  const std::string text = "Das Programm 日本 wandelt Bilder um.";
  const std::vector<std::int64_t> ids = tok.encode(text);
  const std::vector<std::string> surfaces = tok.surfaces(text);
  ASSERT_EQ(surfaces.size(), ids.size());
  std::vector<std::string> words(ids.size());
  bool unknown = false;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] != tok.unk_id()) {
      EXPECT_EQ(surfaces[i], tok.pieces({ids[i]}).front()) << i;
      continue;
    }
    unknown = true;
    EXPECT_EQ(surfaces[i], "日本");
    words[i] = surfaces[i];
  }
  ASSERT_TRUE(unknown);
  EXPECT_EQ(tok.decode_words(ids, words), text);
  EXPECT_NE(tok.decode(ids), text);  // without the words: the unknown mark
  EXPECT_EQ(tok.decode_words(ids, std::vector<std::string>(ids.size())), tok.decode(ids));
  EXPECT_NE(error_of([&] { tok.decode_words(ids, {}); }).find("words for"), std::string::npos);
}

TEST_F(SentencePiece, ModelWithoutPadGetsAnAppendedPadId) {
  // spm_train's own defaults: unk 0, bos 1, eos 2, no pad.
  const fs::path prefix = dir_ / "nopad";
  const auto status = sentencepiece::SentencePieceTrainer::Train(
      {{"input", kMixedCorpus.string()}, {"model_prefix", prefix.string()}, {"vocab_size", "200"},
       {"character_coverage", "1.0"}, {"num_threads", "1"}, {"minloglevel", "1"}});
  ASSERT_TRUE(status.ok()) << status.ToString();
  const SentencePieceTokenizer tok(fs::path(prefix.string() + ".model"));
  EXPECT_TRUE(tok.pad_is_appended());
  EXPECT_EQ(tok.vocab_size(), 201);
  EXPECT_EQ(tok.pad_id(), 200);
  EXPECT_EQ(tok.unk_id(), 0);
  EXPECT_EQ(tok.bos_id(), 1);
  EXPECT_EQ(tok.eos_id(), 2);
  const std::string text = "Le jeu se déroule dans une grande forêt.";
  std::vector<std::int64_t> ids = tok.encode(text);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), 200), 0);
  ids.insert(ids.end(), {200, 200});
  EXPECT_EQ(tok.decode(ids), text);
  EXPECT_EQ(tok.pieces({200}), std::vector<std::string>{"<pad>"});
  EXPECT_THROW(tok.decode({201}), Error);
}

TEST_F(SentencePiece, LoadErrorsNameTheFile) {
  const fs::path missing = dir_ / "missing.model";
  EXPECT_NE(error_of([&] { SentencePieceTokenizer t(missing); }).find(missing.string()), std::string::npos);
  const fs::path garbage = dir_ / "garbage.model";
  std::ofstream(garbage) << "not a model\n";
  EXPECT_NE(error_of([&] { SentencePieceTokenizer t(garbage); }).find(garbage.string()), std::string::npos);
}

}  // namespace
}  // namespace recur::plugins
