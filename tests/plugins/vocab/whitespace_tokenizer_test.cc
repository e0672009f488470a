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

std::unique_ptr<VocabTokenizer> from_file() {
  VocabTokenizerSettings s;
  s.kind = text::SymbolKind::kWord;
  s.vocab = kData / "words_small.txt";
  return make_vocab_tokenizer(s);
}

TEST(WhitespaceTokenizer, VocabFileIdsAndRoundTrip) {
  const auto tok = from_file();
  EXPECT_EQ(tok->vocab_size(), 4 + 13);
  EXPECT_EQ(tok->encode("Ce paquet fournit une petite bibliothèque"),
            (std::vector<std::int64_t>{4, 5, 6, 7, 8, 9}));
  const std::string de = "Das Spiel spielt in einem großen Wald";
  EXPECT_EQ(tok->decode(tok->encode(de)), de);
  // Any whitespace separates; decode normalises it to single spaces.
  EXPECT_EQ(tok->decode(tok->encode("  Das\tSpiel\u00A0spielt \n")), "Das Spiel spielt");
}

// SurfaceTokenizer: the symbols looked up; a given word replaces its id's piece.
TEST(WhitespaceTokenizer, SurfacesAreTheWordsAndDecodeWordsWritesThem) {
  const auto tok = from_file();
  const std::string text = "Ce paquet fournit libfoo2";
  EXPECT_EQ(tok->surfaces(text), (std::vector<std::string>{"Ce", "paquet", "fournit", "libfoo2"}));
  const std::vector<std::int64_t> ids = tok->encode(text);
  ASSERT_EQ(ids.back(), tok->unk_id());
  EXPECT_EQ(tok->decode(ids), "Ce paquet fournit <unk>");
  EXPECT_EQ(tok->decode_words(ids, {"", "", "", "libfoo2"}), text);
  EXPECT_EQ(tok->decode_words({1, 4, 2}, {"", "", ""}), "Ce");  // bos / eos skipped
  EXPECT_NE(error_of([&] { tok->decode_words(ids, {"x"}); }).find("1 words for 4 ids"), std::string::npos);
}

TEST(WhitespaceTokenizer, CorpusVocabRoundTripsItsLines) {
  VocabTokenizerSettings s;
  s.kind = text::SymbolKind::kWord;
  s.corpus = kData / "corpus_en_fr_de.txt";
  const auto tok = make_vocab_tokenizer(s);
  std::ifstream in(s.corpus);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    const std::vector<std::int64_t> ids = tok->encode(line);
    for (std::int64_t id : ids) ASSERT_GE(id, 4) << line;
    ASSERT_EQ(tok->decode(ids), line);
    ++lines;
  }
  EXPECT_EQ(lines, 90);
}

// vocab and corpus together: the count is saved as the vocab file the first time and
// read from it afterwards (the corpus is then not needed: a model folder ships the vocab).
TEST(WhitespaceTokenizer, CorpusCountSavedAsTheVocabFile) {
  const fs::path dir = fs::temp_directory_path() / ("recur_vocab_save_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  VocabTokenizerSettings s;
  s.kind = text::SymbolKind::kWord;
  s.corpus = kData / "corpus_en_fr_de.txt";
  s.vocab = dir / "counted.txt";
  s.corpus_options.words = {true, true};
  const auto counted = make_vocab_tokenizer(s);
  ASSERT_TRUE(fs::exists(s.vocab));
  s.corpus = dir / "gone.txt";  // no longer read
  const auto loaded = make_vocab_tokenizer(s);
  EXPECT_EQ(loaded->vocab().symbols(), counted->vocab().symbols());
  EXPECT_EQ(loaded->encode("Das Spiel, spielt!"), counted->encode("das spiel , spielt !"));
  fs::remove_all(dir);
}

TEST(WhitespaceTokenizer, SpecialsUnknownAndRange) {
  const auto tok = from_file();
  EXPECT_EQ(tok->pad_id(), 0);
  EXPECT_EQ(tok->bos_id(), 1);
  EXPECT_EQ(tok->eos_id(), 2);
  EXPECT_EQ(tok->unk_id(), 3);
  const std::vector<std::int64_t> ids = tok->encode("Das Spiel ist schön");
  EXPECT_EQ(ids, (std::vector<std::int64_t>{10, 11, 3, 3}));
  EXPECT_EQ(tok->decode({1, 10, 11, 3, 2, 0}), "Das Spiel <unk>");
  EXPECT_EQ(tok->pieces({1, 10, 3}), (std::vector<std::string>{"<s>", "Das", "<unk>"}));
  EXPECT_NE(error_of([&] { tok->decode({17}); }).find("token id 17"), std::string::npos);
  EXPECT_NE(error_of([&] { tok->decode({-1}); }).find("token id -1"), std::string::npos);
  EXPECT_NE(error_of([&] { tok->encode("ok \xE2\x82"); }).find("invalid UTF-8 at byte 3"), std::string::npos);
}

TEST(WhitespaceTokenizer, VocabFileErrorsNameFileAndLine) {
  VocabTokenizerSettings missing;
  missing.kind = text::SymbolKind::kWord;
  missing.vocab = kData / "no_such_words.txt";
  EXPECT_NE(error_of([&] { make_vocab_tokenizer(missing); }).find("no_such_words.txt"), std::string::npos);

  const fs::path bad = fs::temp_directory_path() / ("recur_ws_dup_" + std::to_string(::getpid()) + ".txt");
  std::ofstream(bad) << "Haus\nMaison\nHaus\n";
  VocabTokenizerSettings s;
  s.kind = text::SymbolKind::kWord;
  s.vocab = bad;
  const std::string e = error_of([&] { make_vocab_tokenizer(s); });
  fs::remove(bad);
  EXPECT_NE(e.find(bad.string() + ":3: duplicate symbol \"Haus\" (first on line 1)"), std::string::npos) << e;
}

}  // namespace
}  // namespace recur::plugins
