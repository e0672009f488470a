#include "whitespace_tokenizer.h"

#include "recur/core/error.h"
#include "recur/data/utf8.h"
#include "recur/text/utf8.h"

namespace recur::plugins {

WhitespaceTokenizer::WhitespaceTokenizer(text::Vocab vocab) : vocab_(std::move(vocab)) {}

std::vector<std::int64_t> WhitespaceTokenizer::encode(std::string_view input) const {
  if (const auto bad = data::find_invalid_utf8(input)) {
    throw Error("whitespace tokenizer: invalid UTF-8 at byte " + std::to_string(*bad) + " of the input");
  }
  std::vector<std::int64_t> ids;
  ids.reserve(input.size());
  for (const std::string& token : text::split_symbols(input, text::SymbolKind::kWord)) ids.push_back(vocab_.id(token));
  return ids;
}

std::string WhitespaceTokenizer::decode(const std::vector<std::int64_t>& ids) const {
  std::string out;
  for (std::int64_t id : ids) {
    const std::string& piece = vocab_.piece(id);  // checks the range
    if (text::Vocab::is_control(id)) continue;
    if (!out.empty()) out.push_back(' ');
    out += piece;
  }
  return out;
}

std::vector<std::string> WhitespaceTokenizer::pieces(const std::vector<std::int64_t>& ids) const {
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (std::int64_t id : ids) out.push_back(vocab_.piece(id));
  return out;
}

std::unique_ptr<WhitespaceTokenizer> make_whitespace_tokenizer(const WhitespaceTokenizerSettings& s) {
  if (s.vocab.empty() == s.corpus.empty()) throw Error("whitespace tokenizer: set exactly one of vocab and corpus");
  if (!s.vocab.empty()) return std::make_unique<WhitespaceTokenizer>(text::load_vocab(s.vocab, text::SymbolKind::kWord));
  return std::make_unique<WhitespaceTokenizer>(text::build_vocab(s.corpus, text::SymbolKind::kWord, s.corpus_options));
}

}  // namespace recur::plugins
