// Vocab files and vocabularies counted from a corpus (format in recur/text/vocab.h).
#include <algorithm>
#include <fstream>
#include <map>

#include "recur/core/error.h"
#include "recur/text/utf8.h"
#include "recur/text/vocab.h"

namespace recur::text {
namespace {

[[noreturn]] void fail_at(const std::filesystem::path& file, std::int64_t line, const std::string& what) {
  throw IoError(file.string() + ":" + std::to_string(line) + ": " + what);
}

std::ifstream open_for_reading(const std::filesystem::path& file, const char* what) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError(std::string("cannot open ") + what + " " + file.string());
  return in;
}

// Reads lines, dropping a trailing '\r', and checks their UTF-8.
template <class F>
void for_each_line(std::ifstream& in, const std::filesystem::path& file, F&& f) {
  std::string line;
  for (std::int64_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (const auto bad = find_invalid_utf8(line)) {
      fail_at(file, number, "invalid UTF-8 at byte " + std::to_string(*bad));
    }
    f(line, number);
  }
  if (in.bad()) throw IoError("read error in " + file.string());
}

std::string unescape_char(const std::string& line, const std::filesystem::path& file, std::int64_t number) {
  if (line.size() >= 2 && line[0] == '\\') {
    if (line.size() == 2) {
      switch (line[1]) {
        case 's': return " ";
        case 't': return "\t";
        case 'n': return "\n";
        case 'r': return "\r";
        case '\\': return "\\";
        default: break;
      }
    }
    fail_at(file, number, "unknown escape \"" + line + "\" (use \\s \\t \\n \\r \\\\)");
  }
  if (line == "\\") fail_at(file, number, "a lone backslash: write it as \\\\");
  if (decode_utf8(line).size() != 1) fail_at(file, number, "\"" + line + "\" is not a single character");
  return line;
}

void check_word(const std::string& line, const std::filesystem::path& file, std::int64_t number) {
  for (char32_t c : decode_utf8(line)) {
    if (is_space(c)) fail_at(file, number, "token \"" + line + "\" contains whitespace");
  }
  for (const char* special : {"<pad>", "<s>", "</s>", "<unk>"}) {
    if (line == special) {
      fail_at(file, number, "\"" + line + "\" is reserved: the specials are implicit ids 0-3");
    }
  }
}

std::string escape_char(const std::string& symbol) {
  if (symbol == " ") return "\\s";
  if (symbol == "\t") return "\\t";
  if (symbol == "\n") return "\\n";
  if (symbol == "\r") return "\\r";
  if (symbol == "\\") return "\\\\";
  return symbol;
}

}  // namespace

Vocab load_vocab(const std::filesystem::path& file, SymbolKind kind) {
  std::ifstream in = open_for_reading(file, "vocab file");
  std::vector<std::string> symbols;
  std::map<std::string, std::int64_t, std::less<>> first_line;
  for_each_line(in, file, [&](const std::string& line, std::int64_t number) {
    if (line.empty()) fail_at(file, number, "empty line");
    std::string symbol = line;
    if (kind == SymbolKind::kChar) {
      symbol = unescape_char(line, file, number);
    } else {
      check_word(line, file, number);
    }
    const auto [it, fresh] = first_line.emplace(symbol, number);
    if (!fresh) {
      fail_at(file, number, "duplicate symbol \"" + line + "\" (first on line " + std::to_string(it->second) + ")");
    }
    symbols.push_back(std::move(symbol));
  });
  if (symbols.empty()) throw IoError("vocab file " + file.string() + " lists no symbol");
  return Vocab(std::move(symbols));
}

void save_vocab(const Vocab& vocab, const std::filesystem::path& file, SymbolKind kind) {
  std::ofstream out(file, std::ios::binary);
  if (!out) throw IoError("cannot write vocab file " + file.string());
  for (const std::string& s : vocab.symbols()) out << (kind == SymbolKind::kChar ? escape_char(s) : s) << '\n';
  out.flush();
  if (!out) throw IoError("write error in " + file.string());
}

Vocab build_vocab(const std::filesystem::path& corpus, SymbolKind kind, const CorpusVocabOptions& options) {
  if (options.min_count < 1 || options.max_size < 0) {
    throw Error("build_vocab: min_count must be >= 1 and max_size >= 0");
  }
  std::ifstream in = open_for_reading(corpus, "corpus");
  std::map<std::string, std::int64_t, std::less<>> counts;
  for_each_line(in, corpus, [&](const std::string& line, std::int64_t) {
    for (std::string& s : split_symbols(line, kind, options.words)) ++counts[std::move(s)];
  });
  std::vector<std::pair<std::string, std::int64_t>> ranked;
  for (auto& [symbol, count] : counts) {
    if (count >= options.min_count) ranked.emplace_back(symbol, count);
  }
  // counts is ordered by bytes, so a stable sort by count keeps byte order among ties.
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  if (options.max_size > 0 && static_cast<std::int64_t>(ranked.size()) > options.max_size) {
    ranked.resize(static_cast<std::size_t>(options.max_size));
  }
  if (ranked.empty()) {
    throw IoError("corpus " + corpus.string() + ": no symbol occurs at least " + std::to_string(options.min_count) +
                  " times");
  }
  std::vector<std::string> symbols;
  symbols.reserve(ranked.size());
  for (auto& entry : ranked) symbols.push_back(std::move(entry.first));
  return Vocab(std::move(symbols));
}

}  // namespace recur::text
