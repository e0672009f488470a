// recur's own tokenizers over a fixed symbol table (recur/text/vocab.h), one plugin
// module registering both:
//
//   char        one id per Unicode code point; decode concatenates.
//   whitespace  one id per whitespace-separated token (whitespace: any character of
//               Python's str.isspace()); decode joins tokens with single spaces.
//
// Ids follow recur's fixed layout: 0 <pad>, 1 <s>, 2 </s>, 3 <unk>, then the
// vocabulary's symbols. Text must be valid UTF-8 (the translate job replaces invalid
// bytes before tokenizing); invalid input is an Error naming the byte offset. Symbols
// outside the vocabulary map to <unk>, which decodes as the text "<unk>". Surfaces
// (SurfaceTokenizer) are the symbols encode() looks up (lowercased with `lowercase`).
//
// Pipeline settings (vocab, corpus or both):
//   vocab: chars.txt       # vocab file, one symbol per line (char: escapes \s \t \n \r \\)
//   corpus: train.fr       # or: count the symbols of a text file; with vocab too, the
//                          #   count is saved as the vocab file when that does not exist
//                          #   (then used as is), and a model folder ships only the vocab
//   min_count: 1           #   with corpus: drop symbols seen fewer times
//   max_size: 0            #   with corpus: keep the most frequent N (0: all)
//   lowercase: false       # whitespace only: ASCII A-Z -> a-z before the lookup
//   split_punctuation: false  # whitespace only: each ASCII punctuation character is a
//                          #   token by itself (GloVe-style words: text::WordRules)
#pragma once

#include <filesystem>
#include <memory>

#include "recur/plugin/component.h"
#include "recur/surface_tokenizer.h"
#include "recur/text/vocab.h"
#include "recur/tokenizer.h"

namespace recur::plugins {

class VocabTokenizer final : public Tokenizer, public SurfaceTokenizer {
 public:
  VocabTokenizer(text::Vocab vocab, text::SymbolKind kind, text::WordRules rules = {});

  std::vector<std::int64_t> encode(std::string_view text) const override;
  std::string decode(const std::vector<std::int64_t>& ids) const override;
  std::vector<std::string> pieces(const std::vector<std::int64_t>& ids) const override;
  std::int64_t vocab_size() const override { return vocab_.size(); }
  std::vector<std::string> surfaces(std::string_view text) const override;
  std::string decode_words(const std::vector<std::int64_t>& ids,
                           const std::vector<std::string>& words) const override;

  std::int64_t pad_id() const override { return text::Vocab::kPadId; }
  std::int64_t bos_id() const override { return text::Vocab::kBosId; }
  std::int64_t eos_id() const override { return text::Vocab::kEosId; }
  std::int64_t unk_id() const override { return text::Vocab::kUnkId; }

  const text::Vocab& vocab() const { return vocab_; }
  text::SymbolKind kind() const { return kind_; }

 private:
  text::Vocab vocab_;
  text::SymbolKind kind_;
  text::WordRules rules_;
};

// "char" or "whitespace": the plugin name of a kind, used in messages.
const char* tokenizer_name(text::SymbolKind kind);

struct VocabTokenizerSettings {
  text::SymbolKind kind = text::SymbolKind::kChar;
  std::filesystem::path vocab;   // set exactly one of vocab and corpus
  std::filesystem::path corpus;
  text::CorpusVocabOptions corpus_options;  // its `words` apply with `vocab` too
};

std::unique_ptr<VocabTokenizer> make_vocab_tokenizer(const VocabTokenizerSettings& settings);
// Parses the settings above (paths relative to the YAML's directory); ConfigError if wrong.
VocabTokenizerSettings parse_vocab_tokenizer_settings(const config::Section& section,
                                                      text::SymbolKind kind);
// The factories the plugin registers as (tokenizer, char) and (tokenizer, whitespace).
std::unique_ptr<Tokenizer> char_tokenizer_factory(const config::Section& section, const BuildContext& context);
std::unique_ptr<Tokenizer> whitespace_tokenizer_factory(const config::Section& section, const BuildContext& context);

}  // namespace recur::plugins
