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

std::vector<std::string> split_symbols(std::string_view text, SymbolKind kind) {
  if (kind == SymbolKind::kWord) return split_whitespace(text);
  std::vector<std::string> out;
  for (char32_t c : decode_utf8(text)) {
    out.emplace_back();
    append_utf8(out.back(), c);
  }
  return out;
}

}  // namespace recur::text
