#include "recur/nn/pretrained_embeddings.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "recur/core/error.h"

namespace recur::nn {

namespace {

// Splits on single spaces; a trailing '\r' (CRLF files) and trailing spaces (word2vec's
// own writer ends each line with one) are dropped first.
std::vector<std::string_view> fields(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
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

bool parse_float(std::string_view s, float& x) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
  return ec == std::errc() && end == s.data() + s.size();
}

// A non-negative decimal integer (digits only), or nullopt.
std::optional<std::int64_t> parse_count(std::string_view s) {
  std::int64_t n = 0;
  if (s.empty() || s.front() == '-' || s.front() == '+') return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return n;
}

// The rows of `table` being filled from the vector lines of a file.
class RowFiller {
 public:
  RowFiller(const text::Vocab& vocab, Tensor& table)
      : vocab_(vocab), e_(table.dim(1)), rows_(table.data<float>()),
        seen_(static_cast<std::size_t>(table.dim(0)), false) {}

  // Reads one vector line; returns whether it set a row. `where` is "file:line: ".
  bool fill(const std::vector<std::string_view>& f, const std::string& where) {
    if (static_cast<std::int64_t>(f.size()) < e_ + 1) {
      throw IoError(where + "expected a word and " + std::to_string(e_) + " numbers, got " +
                    std::to_string(f.size()) + " fields");
    }
    const std::size_t first = f.size() - static_cast<std::size_t>(e_);
    // More fields than E + 1 ending in numbers: vectors longer than E, not a word with spaces.
    float unused = 0;
    if (first > 1 && parse_float(f[first - 1], unused)) {
      throw IoError(where + "a vector of more than " + std::to_string(e_) +
                    " numbers (embedding_size is " + std::to_string(e_) + ")");
    }
    const std::string_view word(f[0].data(), static_cast<std::size_t>(
                                                 f[first - 1].data() + f[first - 1].size() - f[0].data()));
    const std::int64_t id = vocab_.id(word);
    if (id == text::Vocab::kUnkId && word != vocab_.piece(text::Vocab::kUnkId)) return false;
    const auto row_index = static_cast<std::size_t>(id);
    if (seen_[row_index]) return false;  // the first vector of a word wins
    std::vector<float> values(static_cast<std::size_t>(e_));
    for (std::size_t k = 0; k < values.size(); ++k) {
      if (!parse_float(f[first + k], values[k])) {
        throw IoError(where + "field " + std::to_string(first + k + 1) + " is not a number: \"" +
                      std::string(f[first + k]) + "\"");
      }
    }
    std::copy(values.begin(), values.end(), rows_ + id * e_);
    seen_[row_index] = true;
    return true;
  }

 private:
  const text::Vocab& vocab_;
  std::int64_t e_;
  float* rows_;
  std::vector<bool> seen_;
};

}  // namespace

const char* vector_format_name(VectorFormat format) {
  return format == VectorFormat::word2vec ? "word2vec" : "GloVe";
}

PretrainedEmbeddingsReport load_pretrained_embeddings(const std::filesystem::path& vectors,
                                                      const text::Vocab& vocab, Tensor& table) {
  if (!table.defined() || table.rank() != 2 || table.dtype() != DType::f32) {
    throw IoError(vectors.string() + ": the embedding table must be an f32 [vocab, dim] tensor");
  }
  const std::int64_t v = table.dim(0), e = table.dim(1);
  if (v != vocab.size()) {
    throw IoError(vectors.string() + ": the vocabulary has " + std::to_string(vocab.size()) +
                  " ids, the embedding table " + std::to_string(v) + " rows");
  }
  std::ifstream in(vectors, std::ios::binary);
  if (!in) throw IoError(vectors.string() + ": cannot open");
  PretrainedEmbeddingsReport report;
  report.vocab_size = v;
  RowFiller filler(vocab, table);
  std::optional<std::int64_t> announced;  // word2vec's COUNT
  std::int64_t line_no = 0;
  std::string line;
  while (std::getline(in, line)) {
    ++line_no;
    const std::string where = vectors.string() + ":" + std::to_string(line_no) + ": ";
    const std::vector<std::string_view> f = fields(line);
    if (line_no == 1 && f.size() == 2 && parse_count(f[0]) && parse_count(f[1])) {
      report.format = VectorFormat::word2vec;
      announced = parse_count(f[0]);
      if (*parse_count(f[1]) != e) {
        throw IoError(where + "the word2vec header announces " + std::string(f[1]) +
                      "-dimensional vectors, embedding_size is " + std::to_string(e));
      }
      continue;
    }
    ++report.vectors_read;
    if (filler.fill(f, where)) ++report.rows_found;
  }
  if (in.bad()) throw IoError(vectors.string() + ": read error");
  if (announced && *announced != report.vectors_read) {
    throw IoError(vectors.string() + ": the word2vec header announces " + std::to_string(*announced) +
                  " vectors, the file has " + std::to_string(report.vectors_read));
  }
  return report;
}

}  // namespace recur::nn
