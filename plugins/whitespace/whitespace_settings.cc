// Settings parsing lives in its own object file: tests that do not parse YAML link the
// library without needing the config layer.
#include "whitespace_tokenizer.h"
#include "recur/config/section.h"

namespace recur::plugins {

WhitespaceTokenizerSettings parse_whitespace_settings(const config::Section& section) {
  WhitespaceTokenizerSettings s;
  const bool has_vocab = section.has("vocab");
  if (has_vocab == section.has("corpus")) {
    section.fail(has_vocab ? "corpus" : "vocab",
                 "set exactly one of 'vocab' (a vocab file) and 'corpus' (a text file to count tokens of)");
  }
  if (has_vocab) {
    s.vocab = section.path_value("vocab");
  } else {
    s.corpus = section.path_value("corpus");
    s.corpus_options.min_count = section.positive<std::int64_t>("min_count", 1);
    s.corpus_options.max_size = section.non_negative<std::int64_t>("max_size", 0);
  }
  section.finish();
  return s;
}

std::unique_ptr<Tokenizer> whitespace_tokenizer_factory(const config::Section& section, const BuildContext&) {
  return make_whitespace_tokenizer(parse_whitespace_settings(section));
}

}  // namespace recur::plugins
