#include "char_tokenizer.h"

#include "recur/core/error.h"
#include "recur/data/utf8.h"
#include "recur/text/utf8.h"

namespace recur::plugins {

CharTokenizer::CharTokenizer(text::Vocab vocab) : vocab_(std::move(vocab)) {}

std::vector<std::int64_t> CharTokenizer::encode(std::string_view input) const {
  if (const auto bad = data::find_invalid_utf8(input)) {
    throw Error("char tokenizer: invalid UTF-8 at byte " + std::to_string(*bad) + " of the input");
  }
  std::vector<std::int64_t> ids;
  ids.reserve(input.size());
  for (const std::string& c : text::split_symbols(input, text::SymbolKind::kChar)) ids.push_back(vocab_.id(c));
  return ids;
}

std::string CharTokenizer::decode(const std::vector<std::int64_t>& ids) const {
  std::string out;
  for (std::int64_t id : ids) {
    const std::string& piece = vocab_.piece(id);  // checks the range
    if (!text::Vocab::is_control(id)) out += piece;
  }
  return out;
}

std::vector<std::string> CharTokenizer::pieces(const std::vector<std::int64_t>& ids) const {
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (std::int64_t id : ids) out.push_back(vocab_.piece(id));
  return out;
}

std::unique_ptr<CharTokenizer> make_char_tokenizer(const CharTokenizerSettings& s) {
  if (s.vocab.empty() == s.corpus.empty()) throw Error("char tokenizer: set exactly one of vocab and corpus");
  if (!s.vocab.empty()) return std::make_unique<CharTokenizer>(text::load_vocab(s.vocab, text::SymbolKind::kChar));
  return std::make_unique<CharTokenizer>(text::build_vocab(s.corpus, text::SymbolKind::kChar, s.corpus_options));
}

}  // namespace recur::plugins
