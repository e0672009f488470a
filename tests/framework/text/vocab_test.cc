#include "recur/text/vocab.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "recur/core/error.h"

namespace recur::text {
namespace {

namespace fs = std::filesystem;

class VocabFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("recur_vocab_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& content) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  // The IoError message of loading a file, or "" if it loads.
  static std::string load_error(const fs::path& p, SymbolKind kind) {
    try {
      load_vocab(p, kind);
    } catch (const IoError& e) {
      return e.what();
    }
    return "";
  }
  fs::path dir_;
};

TEST(Vocab, SpecialsThenSymbols) {
  const Vocab v({"le", "chat"});
  EXPECT_EQ(v.size(), 6);
  EXPECT_EQ(v.piece(0), "<pad>");
  EXPECT_EQ(v.piece(1), "<s>");
  EXPECT_EQ(v.piece(2), "</s>");
  EXPECT_EQ(v.piece(3), "<unk>");
  EXPECT_EQ(v.id("le"), 4);
  EXPECT_EQ(v.id("chat"), 5);
  EXPECT_EQ(v.id("chien"), Vocab::kUnkId);
  EXPECT_THROW(v.piece(6), Error);
  EXPECT_THROW(v.piece(-1), Error);
  EXPECT_THROW(Vocab({"a", "a"}), Error);
}

TEST_F(VocabFile, WordFileLoadsAndRoundTrips) {
  const fs::path p = write("words.txt", "Grüße\r\naus\nKöln\n");
  const Vocab v = load_vocab(p, SymbolKind::kWord);
  EXPECT_EQ(v.symbols(), (std::vector<std::string>{"Grüße", "aus", "Köln"}));
  const fs::path q = dir_ / "saved.txt";
  save_vocab(v, q, SymbolKind::kWord);
  EXPECT_EQ(load_vocab(q, SymbolKind::kWord).symbols(), v.symbols());
}

TEST_F(VocabFile, CharFileEscapesRoundTrip) {
  const fs::path p = write("chars.txt", "a\n\\s\né\n\\\\\n\\t\n\\n\n");
  const Vocab v = load_vocab(p, SymbolKind::kChar);
  EXPECT_EQ(v.symbols(), (std::vector<std::string>{"a", " ", "é", "\\", "\t", "\n"}));
  const fs::path q = dir_ / "saved.txt";
  save_vocab(v, q, SymbolKind::kChar);
  EXPECT_EQ(load_vocab(q, SymbolKind::kChar).symbols(), v.symbols());
}

TEST_F(VocabFile, ErrorsNameFileAndLine) {
  const fs::path dup = write("dup.txt", "le\nchat\nle\n");
  const std::string e = load_error(dup, SymbolKind::kWord);
  EXPECT_NE(e.find(dup.string() + ":3:"), std::string::npos) << e;
  EXPECT_NE(e.find("duplicate"), std::string::npos) << e;
  EXPECT_NE(e.find("line 1"), std::string::npos) << e;

  EXPECT_NE(load_error(write("e.txt", "a\n\nb\n"), SymbolKind::kWord).find("e.txt:2: empty line"), std::string::npos);
  EXPECT_NE(load_error(write("s.txt", "a b\n"), SymbolKind::kWord).find("s.txt:1:"), std::string::npos);
  EXPECT_NE(load_error(write("r.txt", "x\n<unk>\n"), SymbolKind::kWord).find("r.txt:2:"), std::string::npos);
  EXPECT_NE(load_error(write("u.txt", "a\nb\xC3\n"), SymbolKind::kWord).find("u.txt:2: invalid UTF-8 at byte 1"),
            std::string::npos);
  EXPECT_NE(load_error(write("m.txt", "a\nab\n"), SymbolKind::kChar).find("m.txt:2:"), std::string::npos);
  EXPECT_NE(load_error(write("x.txt", "\\q\n"), SymbolKind::kChar).find("x.txt:1: unknown escape"),
            std::string::npos);
  EXPECT_NE(load_error(write("d.txt", "\\s\n \n"), SymbolKind::kChar).find("d.txt:2: duplicate"),
            std::string::npos);
  const fs::path missing = dir_ / "missing.txt";
  EXPECT_NE(load_error(missing, SymbolKind::kWord).find(missing.string()), std::string::npos);
  EXPECT_NE(load_error(write("empty.txt", ""), SymbolKind::kWord).find("no symbol"), std::string::npos);
}

TEST_F(VocabFile, BuildFromCorpusOrdersByCountThenBytes) {
  const fs::path corpus = write("corpus.txt", "b a c a\nc a d\n");
  EXPECT_EQ(build_vocab(corpus, SymbolKind::kWord).symbols(), (std::vector<std::string>{"a", "c", "b", "d"}));
  EXPECT_EQ(build_vocab(corpus, SymbolKind::kWord, {2, 0}).symbols(), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(build_vocab(corpus, SymbolKind::kWord, {1, 3}).symbols(), (std::vector<std::string>{"a", "c", "b"}));
  const Vocab chars = build_vocab(write("fr.txt", "été\n"), SymbolKind::kChar);
  EXPECT_EQ(chars.symbols(), (std::vector<std::string>{"é", "t"}));
  EXPECT_THROW(build_vocab(corpus, SymbolKind::kWord, {9, 0}), IoError);
  EXPECT_THROW(build_vocab(write("bad.txt", "ok\n\xFF\n"), SymbolKind::kChar), IoError);
}

TEST(WordRules, LowercaseAsciiAndPunctuationTokens) {
  const WordRules both{true, true};
  EXPECT_EQ(split_symbols("Don't buy it!!", SymbolKind::kWord, both),
            (std::vector<std::string>{"don", "'", "t", "buy", "it", "!", "!"}));
  // Only ASCII letters are lowercased and only ASCII punctuation is split: "É" and "«»"
  // stay as they are.
  EXPECT_EQ(split_symbols("Été «Top» (A-b)", SymbolKind::kWord, both),
            (std::vector<std::string>{"Été", "«top»", "(", "a", "-", "b", ")"}));
  EXPECT_EQ(split_symbols("A,B", SymbolKind::kWord, {true, false}), (std::vector<std::string>{"a,b"}));
  EXPECT_EQ(split_symbols("A,B", SymbolKind::kWord, {false, true}), (std::vector<std::string>{"A", ",", "B"}));
  EXPECT_EQ(split_symbols("A,B", SymbolKind::kWord), (std::vector<std::string>{"A,B"}));
}

TEST_F(VocabFile, BuildFromCorpusAppliesTheWordRules) {
  const fs::path corpus = write("rules.txt", "Good, good!\nGOOD.\n");
  CorpusVocabOptions o;
  o.words = {true, true};
  EXPECT_EQ(build_vocab(corpus, SymbolKind::kWord, o).symbols(), (std::vector<std::string>{"good", "!", ",", "."}));
}

}  // namespace
}  // namespace recur::text
