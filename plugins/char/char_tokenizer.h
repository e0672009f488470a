// The `char` tokenizer: one id per Unicode code point.
//
// Ids follow recur's fixed layout (recur/text/vocab.h): 0 <pad>, 1 <s>, 2 </s>, 3 <unk>,
// then the vocabulary's characters. Text must be valid UTF-8 (the translate job replaces
// invalid bytes before tokenizing); invalid input is an Error naming the byte offset.
// Characters outside the vocabulary map to <unk>, which decodes as the text "<unk>".
//
// Pipeline settings (exactly one of vocab / corpus):
//   vocab: chars.txt       # vocab file, one character per line (escapes \s \t \n \r \\)
//   corpus: train.fr       # or: count the characters of a text file
//   min_count: 1           #   with corpus: drop characters seen fewer times
//   max_size: 0            #   with corpus: keep the most frequent N (0: all)
#pragma once

#include <filesystem>
#include <memory>

#include "recur/plugin/component.h"
#include "recur/text/vocab.h"
#include "recur/tokenizer.h"

namespace recur::plugins {

class CharTokenizer final : public Tokenizer {
 public:
  explicit CharTokenizer(text::Vocab vocab);

  std::vector<std::int64_t> encode(std::string_view text) const override;
  std::string decode(const std::vector<std::int64_t>& ids) const override;
  std::vector<std::string> pieces(const std::vector<std::int64_t>& ids) const override;
  std::int64_t vocab_size() const override { return vocab_.size(); }

  std::int64_t pad_id() const override { return text::Vocab::kPadId; }
  std::int64_t bos_id() const override { return text::Vocab::kBosId; }
  std::int64_t eos_id() const override { return text::Vocab::kEosId; }
  std::int64_t unk_id() const override { return text::Vocab::kUnkId; }

  const text::Vocab& vocab() const { return vocab_; }

 private:
  text::Vocab vocab_;
};

struct CharTokenizerSettings {
  std::filesystem::path vocab;   // set exactly one of vocab and corpus
  std::filesystem::path corpus;
  text::CorpusVocabOptions corpus_options;
};

std::unique_ptr<CharTokenizer> make_char_tokenizer(const CharTokenizerSettings& settings);
// Parses the settings above (paths relative to the YAML's directory); ConfigError if wrong.
CharTokenizerSettings parse_char_settings(const config::Section& section);
// The factory the plugin registers as (tokenizer, char).
std::unique_ptr<Tokenizer> char_tokenizer_factory(const config::Section& section, const BuildContext& context);

}  // namespace recur::plugins
