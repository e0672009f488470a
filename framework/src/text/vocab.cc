#include "recur/text/vocab.h"

#include "recur/core/error.h"
#include "recur/text/utf8.h"

namespace recur::text {
namespace {

const char* const kSpecialNames[] = {"<pad>", "<s>", "</s>", "<unk>"};

}  // namespace

Vocab::Vocab(std::vector<std::string> symbols) {
  pieces_.assign(std::begin(kSpecialNames), std::end(kSpecialNames));
  pieces_.reserve(pieces_.size() + symbols.size());
  for (std::string& s : symbols) {
    if (s.empty()) throw Error("vocab: empty symbol at id " + std::to_string(pieces_.size()));
    const auto id = static_cast<std::int64_t>(pieces_.size());
    if (!ids_.emplace(s, id).second) {
      throw Error("vocab: duplicate symbol \"" + s + "\" at ids " + std::to_string(ids_.find(s)->second) +
                  " and " + std::to_string(id));
    }
    pieces_.push_back(std::move(s));
  }
}

std::int64_t Vocab::id(std::string_view symbol) const {
  const auto it = ids_.find(symbol);
  return it == ids_.end() ? kUnkId : it->second;
}

const std::string& Vocab::piece(std::int64_t id) const {
  if (id < 0 || id >= size()) {
    throw Error("token id " + std::to_string(id) + " is outside the vocabulary [0, " +
                std::to_string(size()) + ")");
  }
  return pieces_[static_cast<std::size_t>(id)];
}

std::vector<std::string> Vocab::symbols() const {
  return {pieces_.begin() + kFirstSymbolId, pieces_.end()};
}

namespace {

// Python's string.punctuation (the "C" locale's ispunct, whatever the locale).
constexpr std::string_view kAsciiPunctuation = R"(!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~)";

}  // namespace

std::string apply_word_rules(std::string_view text, const WordRules& rules) {
  std::string out;
  out.reserve(text.size() + text.size() / 4);
  for (char c : text) {
    if (rules.split_punctuation && kAsciiPunctuation.find(c) != std::string_view::npos) {
      out.push_back(' ');
      out.push_back(c);
      out.push_back(' ');
    } else {
      out.push_back(rules.lowercase && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
  }
  return out;
}

std::vector<std::string> split_symbols(std::string_view text, SymbolKind kind, const WordRules& rules) {
  if (kind == SymbolKind::kWord) {
    if (!rules.lowercase && !rules.split_punctuation) return split_whitespace(text);
    return split_whitespace(apply_word_rules(text, rules));
  }
  std::vector<std::string> out;
  for (char32_t c : decode_utf8(text)) {
    out.emplace_back();
    append_utf8(out.back(), c);
  }
  return out;
}

}  // namespace recur::text
