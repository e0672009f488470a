#include "vocab_tokenizer.h"

#include "recur/core/error.h"
#include "recur/text/utf8.h"

namespace recur::plugins {

const char* tokenizer_name(text::SymbolKind kind) {
  return kind == text::SymbolKind::kChar ? "char" : "whitespace";
}

VocabTokenizer::VocabTokenizer(text::Vocab vocab, text::SymbolKind kind, text::WordRules rules)
    : vocab_(std::move(vocab)), kind_(kind), rules_(rules) {}

std::vector<std::int64_t> VocabTokenizer::encode(std::string_view input) const {
  std::vector<std::int64_t> ids;
  ids.reserve(input.size());
  for (const std::string& symbol : surfaces(input)) ids.push_back(vocab_.id(symbol));
  return ids;
}

std::vector<std::string> VocabTokenizer::surfaces(std::string_view input) const {
  if (const auto bad = text::find_invalid_utf8(input)) {
    throw Error(std::string(tokenizer_name(kind_)) + " tokenizer: invalid UTF-8 at byte " +
                std::to_string(*bad) + " of the input");
  }
  return text::split_symbols(input, kind_, rules_);
}

std::string VocabTokenizer::decode(const std::vector<std::int64_t>& ids) const {
  return decode_words(ids, std::vector<std::string>(ids.size()));
}

std::string VocabTokenizer::decode_words(const std::vector<std::int64_t>& ids,
                                         const std::vector<std::string>& words) const {
  if (words.size() != ids.size()) {
    throw Error(std::string(tokenizer_name(kind_)) + " tokenizer: " + std::to_string(words.size()) +
                " words for " + std::to_string(ids.size()) + " ids");
  }
  const bool spaced = kind_ == text::SymbolKind::kWord;
  std::string out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const bool word = !words[i].empty();
    const std::string& piece = word ? words[i] : vocab_.piece(ids[i]);  // checks the range
    if (!word && text::Vocab::is_control(ids[i])) continue;
    if (spaced && !out.empty()) out.push_back(' ');
    out += piece;
  }
  return out;
}

std::vector<std::string> VocabTokenizer::pieces(const std::vector<std::int64_t>& ids) const {
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (std::int64_t id : ids) out.push_back(vocab_.piece(id));
  return out;
}

std::unique_ptr<VocabTokenizer> make_vocab_tokenizer(const VocabTokenizerSettings& s) {
  if (s.vocab.empty() && s.corpus.empty()) {
    throw Error(std::string(tokenizer_name(s.kind)) + " tokenizer: set vocab, corpus or both");
  }
  std::error_code ec;
  const bool counted = s.corpus.empty() ? false : s.vocab.empty() || !std::filesystem::exists(s.vocab, ec);
  text::Vocab vocab = counted ? text::build_vocab(s.corpus, s.kind, s.corpus_options) : text::load_vocab(s.vocab, s.kind);
  if (counted && !s.vocab.empty()) text::save_vocab(vocab, s.vocab, s.kind);  // the file a model folder ships
  return std::make_unique<VocabTokenizer>(std::move(vocab), s.kind, s.corpus_options.words);
}

}  // namespace recur::plugins
