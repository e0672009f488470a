// Settings parsing and the factories live in their own object file: tests that do not
// parse YAML link the library without needing the config layer.
#include "recur/config/section.h"
#include "vocab_tokenizer.h"

namespace recur::plugins {

VocabTokenizerSettings parse_vocab_tokenizer_settings(const config::Section& section,
                                                      text::SymbolKind kind) {
  VocabTokenizerSettings s;
  s.kind = kind;
  const bool has_vocab = section.has("vocab"), has_corpus = section.has("corpus");
  if (!has_vocab && !has_corpus) {
    section.fail("vocab", std::string("set 'vocab' (a vocab file), 'corpus' (a text file to count ") +
                              (kind == text::SymbolKind::kChar ? "characters" : "tokens") + " of) or both");
  }
  if (has_vocab) s.vocab = section.path_value("vocab");
  if (has_corpus) {
    s.corpus = section.path_value("corpus");
    s.corpus_options.min_count = section.positive<std::int64_t>("min_count", 1);
    s.corpus_options.max_size = section.non_negative<std::int64_t>("max_size", 0);
  }
  for (const char* key : {"lowercase", "split_punctuation"}) {
    if (kind == text::SymbolKind::kChar && section.has(key)) {
      section.fail(key, "is a rule of the whitespace tokenizer (words), not of char");
    }
  }
  s.corpus_options.words.lowercase = section.get<bool>("lowercase", false);
  s.corpus_options.words.split_punctuation = section.get<bool>("split_punctuation", false);
  section.finish();
  return s;
}

std::unique_ptr<Tokenizer> char_tokenizer_factory(const config::Section& section, const BuildContext&) {
  return make_vocab_tokenizer(parse_vocab_tokenizer_settings(section, text::SymbolKind::kChar));
}

std::unique_ptr<Tokenizer> whitespace_tokenizer_factory(const config::Section& section, const BuildContext&) {
  return make_vocab_tokenizer(parse_vocab_tokenizer_settings(section, text::SymbolKind::kWord));
}

}  // namespace recur::plugins
