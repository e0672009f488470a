#include "vocab_tokenizer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "plugins/tokenizer_test_util.h"
#include "recur/core/error.h"

namespace recur::plugins {
namespace {

namespace fs = std::filesystem;
using tokenizer_tests::error_of;
const fs::path kData = tokenizer_tests::kTokenizerData;

std::unique_ptr<VocabTokenizer> from_corpus() {
  VocabTokenizerSettings s;
  s.corpus = kData / "corpus_en_fr_de.txt";
  return make_vocab_tokenizer(s);
}

TEST(CharTokenizer, RoundTripsFrenchAndGerman) {
  const auto tok = from_corpus();
  for (const std::string text : {"Le démon surveille le répertoire et signale chaque modification.",
                                 "Das Spiel spielt in einem großen Wald voller Geheimnisse.",
                                 "Übersetzungen sind für Französisch verfügbar ; l'outil vérifie."}) {
    const std::vector<std::int64_t> ids = tok->encode(text);
    for (std::int64_t id : ids) EXPECT_GE(id, 4) << text;  // every character is in the corpus
    EXPECT_EQ(tok->decode(ids), text);
  }
}

TEST(CharTokenizer, OneIdPerCodePoint) {
  const auto tok = from_corpus();
  const std::vector<std::int64_t> ids = tok->encode("été");
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0], ids[2]);
  EXPECT_EQ(tok->pieces(ids), (std::vector<std::string>{"é", "t", "é"}));
}

TEST(CharTokenizer, SpecialsAndUnknown) {
  const auto tok = from_corpus();
  EXPECT_EQ(tok->pad_id(), 0);
  EXPECT_EQ(tok->bos_id(), 1);
  EXPECT_EQ(tok->eos_id(), 2);
  EXPECT_EQ(tok->unk_id(), 3);
  EXPECT_EQ(tok->vocab_size(), 4 + static_cast<std::int64_t>(tok->vocab().symbols().size()));
  const std::vector<std::int64_t> ids = tok->encode("a日b");
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[1], tok->unk_id());
  EXPECT_EQ(tok->decode(ids), "a<unk>b");
  std::vector<std::int64_t> framed = {tok->bos_id()};
  for (std::int64_t id : tok->encode("Wald")) framed.push_back(id);
  framed.insert(framed.end(), {tok->eos_id(), tok->pad_id(), tok->pad_id()});
  EXPECT_EQ(tok->decode(framed), "Wald");
  EXPECT_EQ(tok->pieces({0, 1, 2, 3}), (std::vector<std::string>{"<pad>", "<s>", "</s>", "<unk>"}));
}

TEST(CharTokenizer, OutOfRangeIdsNameTheId) {
  const auto tok = from_corpus();
  const std::int64_t n = tok->vocab_size();
  EXPECT_NE(error_of([&] { tok->decode({4, n}); }).find("token id " + std::to_string(n)), std::string::npos);
  EXPECT_NE(error_of([&] { tok->pieces({-7}); }).find("token id -7"), std::string::npos);
}

TEST(CharTokenizer, InvalidUtf8NamesTheByte) {
  const auto tok = from_corpus();
  const std::string e = error_of([&] { tok->encode("abc\xC3("); });
  EXPECT_NE(e.find("invalid UTF-8 at byte 3"), std::string::npos) << e;
}

TEST(CharTokenizer, VocabFileWithEscapes) {
  VocabTokenizerSettings s;
  s.vocab = kData / "chars_small.txt";
  const auto tok = make_vocab_tokenizer(s);
  EXPECT_EQ(tok->vocab_size(), 10);
  EXPECT_EQ(tok->encode("l été\\ß"), (std::vector<std::int64_t>{4, 5, 6, 7, 6, 8, 9}));
  EXPECT_EQ(tok->decode(tok->encode("l été\\ß")), "l été\\ß");
}

TEST(CharTokenizer, SettingsAndVocabErrors) {
  VocabTokenizerSettings none;
  EXPECT_THROW(make_vocab_tokenizer(none), Error);
  // Both, with the vocab file present: it is read, the corpus is not.
  VocabTokenizerSettings both;
  both.vocab = kData / "chars_small.txt";
  both.corpus = kData / "no_such_corpus.txt";
  EXPECT_EQ(make_vocab_tokenizer(both)->vocab().symbols(), text::load_vocab(both.vocab, text::SymbolKind::kChar).symbols());

  VocabTokenizerSettings missing;
  missing.vocab = kData / "no_such_vocab.txt";
  EXPECT_NE(error_of([&] { make_vocab_tokenizer(missing); }).find("no_such_vocab.txt"), std::string::npos);

  const fs::path dup = fs::temp_directory_path() / ("recur_char_dup_" + std::to_string(::getpid()) + ".txt");
  std::ofstream(dup) << "a\nb\n\\s\nc\n \n";
  VocabTokenizerSettings s;
  s.vocab = dup;
  const std::string e = error_of([&] { make_vocab_tokenizer(s); });
  fs::remove(dup);
  EXPECT_NE(e.find(dup.string() + ":5: duplicate"), std::string::npos) << e;
  EXPECT_NE(e.find("line 3"), std::string::npos) << e;
}

}  // namespace
}  // namespace recur::plugins
