// The symbol table of recur's own tokenizers (char, whitespace) and its file format.
//
// Ids are fixed: 0 <pad>, 1 <s> (bos), 2 </s> (eos), 3 <unk>, then the symbols in file
// order from id 4. The specials are implicit: a vocab file lists only the symbols.
//
// Vocab file: UTF-8, one symbol per line ('\n' separated; a trailing '\r' is dropped so
// CRLF files work). Empty lines and duplicates are errors naming the file and line.
//  - kWord: a line is one token; it must not contain whitespace nor be a special's name.
//  - kChar: a line is one code point. Characters a line cannot hold are written as
//    escapes: \s space, \t tab, \n newline, \r carriage return, \\ backslash.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace recur::text {

enum class SymbolKind { kChar, kWord };

class Vocab {
 public:
  static constexpr std::int64_t kPadId = 0;
  static constexpr std::int64_t kBosId = 1;
  static constexpr std::int64_t kEosId = 2;
  static constexpr std::int64_t kUnkId = 3;
  static constexpr std::int64_t kFirstSymbolId = 4;

  // Symbols in id order; an empty or duplicate symbol is an Error naming it.
  explicit Vocab(std::vector<std::string> symbols);

  std::int64_t size() const { return static_cast<std::int64_t>(pieces_.size()); }
  // Id of a symbol, or kUnkId.
  std::int64_t id(std::string_view symbol) const;
  // Surface form of an id ("<pad>", "<s>", "</s>", "<unk>" for the specials); an id
  // outside [0, size()) is an Error naming it.
  const std::string& piece(std::int64_t id) const;
  // pad, bos and eos carry no text.
  static bool is_control(std::int64_t id) { return id >= 0 && id < kUnkId; }
  // The symbols only, in id order from kFirstSymbolId.
  std::vector<std::string> symbols() const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<std::string> pieces_;
  std::unordered_map<std::string, std::int64_t, Hash, std::equal_to<>> ids_;
};

// How words are cut beyond whitespace (kWord only), for word vectors such as GloVe,
// whose vocabulary is lowercased with punctuation as tokens of its own.
struct WordRules {
  bool lowercase = false;          // ASCII A-Z -> a-z; other characters unchanged
  bool split_punctuation = false;  // every ASCII punctuation character is a token by itself
};
// "Don't buy it!!" with both rules: don ' t buy it ! !
std::string apply_word_rules(std::string_view text, const WordRules& rules);

// Symbols of one line of text: its code points, or its whitespace-separated words (after
// `rules`). Invalid UTF-8 is an Error naming the byte offset.
std::vector<std::string> split_symbols(std::string_view text, SymbolKind kind, const WordRules& rules = {});

// Reads a vocab file; every problem is an IoError naming the file (and line).
Vocab load_vocab(const std::filesystem::path& file, SymbolKind kind);
void save_vocab(const Vocab& vocab, const std::filesystem::path& file, SymbolKind kind);

struct CorpusVocabOptions {
  std::int64_t min_count = 1;  // drop symbols seen fewer times
  std::int64_t max_size = 0;   // keep at most this many symbols (besides specials); 0: all
  WordRules words;             // kWord: how lines are cut into words
};

// Counts the symbols of a text corpus (one segment per line) and keeps the most frequent,
// ordered by count, then by byte order (deterministic).
Vocab build_vocab(const std::filesystem::path& corpus, SymbolKind kind,
                  const CorpusVocabOptions& options = {});

}  // namespace recur::text
