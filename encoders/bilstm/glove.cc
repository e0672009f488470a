#include "glove.h"

#include <charconv>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace recur::encoders {

namespace {

// Splits on single spaces; a trailing '\r' (CRLF files) is dropped first.
std::vector<std::string_view> fields(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= line.size()) {
    std::size_t end = line.find(' ', start);
    if (end == std::string_view::npos) end = line.size();
    out.push_back(line.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool is_number(std::string_view s) {
  float x = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

std::int64_t load_glove(const std::filesystem::path& vectors, const text::Vocab& vocab,
                        Tensor& table) {
  const std::int64_t v = table.dim(0), e = table.dim(1);
  if (v != vocab.size()) {
    throw IoError(vectors.string() + ": the vocabulary has " + std::to_string(vocab.size()) +
                  " ids, the embedding table " + std::to_string(v) + " rows");
  }
  std::ifstream in(vectors);
  if (!in) throw IoError(vectors.string() + ": cannot open");
  std::vector<bool> seen(static_cast<std::size_t>(v), false);
  std::int64_t found = 0, line_no = 0;
  float* rows = table.data<float>();
  std::string line;
  while (std::getline(in, line)) {
    ++line_no;
    const std::string where = vectors.string() + ":" + std::to_string(line_no) + ": ";
    auto f = fields(line);
    if (static_cast<std::int64_t>(f.size()) < e + 1) {
      throw IoError(where + "expected a word and " + std::to_string(e) + " numbers, got " +
                    std::to_string(f.size()) + " fields");
    }
    const std::size_t first = f.size() - static_cast<std::size_t>(e);
    // More fields than E + 1 ending in numbers: vectors longer than E, not a word with spaces.
    if (first > 1 && is_number(f[first - 1])) {
      throw IoError(where + "a vector of more than " + std::to_string(e) +
                    " numbers (embedding_size is " + std::to_string(e) + ")");
    }
    const std::string_view word(f[0].data(), static_cast<std::size_t>(f[first - 1].data() +
                                                                      f[first - 1].size() - f[0].data()));
    const std::int64_t id = vocab.id(word);
    if (id == text::Vocab::kUnkId && word != vocab.piece(text::Vocab::kUnkId)) continue;
    if (seen[static_cast<std::size_t>(id)]) continue;  // the first vector of a word wins
    float* row = rows + id * e;
    for (std::int64_t k = 0; k < e; ++k) {
      std::string_view s = f[first + static_cast<std::size_t>(k)];
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), row[k]);
      if (ec != std::errc() || end != s.data() + s.size()) {
        throw IoError(where + "field " + std::to_string(first + static_cast<std::size_t>(k) + 1) +
                      " is not a number: \"" + std::string(s) + "\"");
      }
    }
    seen[static_cast<std::size_t>(id)] = true;
    ++found;
  }
  if (in.bad()) throw IoError(vectors.string() + ": read error");
  return found;
}

}  // namespace recur::encoders
