// Settings parsing lives in its own object file: tests that do not parse YAML link the
// library without needing the config layer.
#include "recur/config/section.h"
#include "spm_tokenizer.h"

namespace recur::plugins {

SentencePieceSettings parse_sentencepiece_settings(const config::Section& section) {
  SentencePieceSettings s;
  s.model = section.path_value("model");
  section.finish();
  return s;
}

std::unique_ptr<Tokenizer> sentencepiece_tokenizer_factory(const config::Section& section, const BuildContext&) {
  return std::make_unique<SentencePieceTokenizer>(parse_sentencepiece_settings(section).model);
}

}  // namespace recur::plugins
