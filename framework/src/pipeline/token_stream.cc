#include "recur/pipeline/token_stream.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>

#include "recur/core/error.h"
#include "recur/data/line_reader.h"
#include "recur/ops/loss.h"
#include "recur/ops/shape.h"
#include "recur/ops/tape.h"
#include "recur/text/utf8.h"

namespace recur {

TokenStream read_token_stream(const Tokenizer& tokenizer, const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw IoError(file.string() + ": cannot open for reading");
  data::LineReader reader(in, file.string());
  TokenStream s;
  for (;;) {
    std::vector<data::Line> lines = reader.next(4096);
    if (lines.empty()) break;
    for (const data::Line& line : lines) {
      if (auto bad = text::find_invalid_utf8(line.text)) {
        throw IoError(file.string() + ":" + std::to_string(line.number) + ": invalid UTF-8 at byte " +
                      std::to_string(*bad + 1) + " of the line");
      }
      std::vector<std::int64_t> ids = tokenizer.encode(line.text);
      s.ids.insert(s.ids.end(), ids.begin(), ids.end());
      s.ids.push_back(tokenizer.eos_id());
      s.characters += static_cast<std::int64_t>(text::decode_utf8(line.text).size()) + 1;
      ++s.lines;
    }
  }
  return s;
}

std::vector<std::int64_t> encode_stream(const Tokenizer& tokenizer, std::string_view text) {
  if (auto bad = text::find_invalid_utf8(text)) {
    throw Error("invalid UTF-8 at byte " + std::to_string(*bad + 1) + " of the text");
  }
  std::vector<std::int64_t> ids;
  for (;;) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::vector<std::int64_t> part = tokenizer.encode(line);
    ids.insert(ids.end(), part.begin(), part.end());
    if (end == std::string_view::npos) break;
    ids.push_back(tokenizer.eos_id());
    text.remove_prefix(end + 1);
  }
  return ids;
}

std::string decode_stream(const Tokenizer& tokenizer, const std::vector<std::int64_t>& ids) {
  std::string out;
  std::vector<std::int64_t> line;
  for (std::int64_t id : ids) {
    if (id != tokenizer.eos_id()) {
      line.push_back(id);
      continue;
    }
    out += tokenizer.decode(line);
    out += '\n';
    line.clear();
  }
  return out + tokenizer.decode(line);
}

StreamChunks::StreamChunks(const std::vector<std::int64_t>& ids, std::int64_t rows, std::int64_t length,
                           std::int64_t offset)
    : ids_(ids), rows_(rows), length_(length), offset_(offset) {
  if (rows < 1 || length < 1 || offset < 0) throw Error("stream chunks: rows and length must be >= 1");
  const auto usable = static_cast<std::int64_t>(ids.size()) - offset;
  row_length_ = usable > 0 ? usable / rows : 0;
  if (row_length_ < 2) {
    throw Error("stream chunks: " + std::to_string(ids.size()) + " tokens are too few for " + std::to_string(rows) +
                " rows");
  }
  chunks_ = (row_length_ - 1 + length_ - 1) / length_;
}

void StreamChunks::chunk(std::int64_t k, Tensor& inputs, Tensor& targets) const {
  if (k < 0 || k >= chunks_) throw Error("stream chunks: no chunk " + std::to_string(k));
  const std::int64_t begin = k * length_;
  const std::int64_t t = std::min(length_, row_length_ - 1 - begin);
  inputs = Tensor::empty({rows_, t}, DType::i64);
  targets = Tensor::empty({rows_ * t}, DType::i64);
  auto* in = inputs.data<std::int64_t>();
  auto* out = targets.data<std::int64_t>();
  for (std::int64_t r = 0; r < rows_; ++r) {
    const std::int64_t* row = ids_.data() + offset_ + r * row_length_ + begin;
    std::copy(row, row + t, in + r * t);
    std::copy(row + 1, row + 1 + t, out + r * t);
  }
}

double StreamScore::bits_per_character() const {
  return characters > 0 ? nll / std::log(2.0) / static_cast<double>(characters) : 0.0;
}

double StreamScore::perplexity() const {
  return tokens > 0 ? std::exp(nll / static_cast<double>(tokens)) : 0.0;
}

StreamScore score_stream(Decoder& decoder, const TokenStream& stream, std::int64_t start_id, std::int64_t chunk) {
  if (chunk < 1) throw Error("score_stream: chunk must be >= 1");
  autograd::NoGradGuard no_grad;
  StreamScore score;
  score.characters = stream.characters;
  std::vector<Tensor> carry;
  const auto n = static_cast<std::int64_t>(stream.ids.size());
  ops::CrossEntropyOptions sum;
  sum.reduction = ops::Reduction::sum;
  for (std::int64_t begin = 0; begin < n; begin += chunk) {
    const std::int64_t t = std::min(chunk, n - begin);
    Tensor inputs = Tensor::empty({1, t}, DType::i64);
    Tensor targets = Tensor::empty({t}, DType::i64);
    auto* in = inputs.data<std::int64_t>();
    for (std::int64_t i = 0; i < t; ++i) {
      in[i] = begin + i == 0 ? start_id : stream.ids[static_cast<std::size_t>(begin + i - 1)];
      targets.data<std::int64_t>()[i] = stream.ids[static_cast<std::size_t>(begin + i)];
    }
    Tensor logits = decoder.forward_carried(inputs, carry);
    Tensor flat = ops::reshape(logits, {t, logits.dim(2)});
    score.nll += static_cast<double>(ops::cross_entropy(flat, targets, sum).item());
    score.tokens += t;
  }
  return score;
}

}  // namespace recur
