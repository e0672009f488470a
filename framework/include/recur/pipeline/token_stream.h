// A text as one stream of ids for a language model, its truncated-BPTT chunks, and its
// exact negative log-likelihood. Shared by the language_model task's training and
// validation and by `recur eval --metric bpc`.
//
// The stream is each line's tokens followed by eos: eos is the line break, so a model
// learns where lines end and generation writes it as "\n". A text starts as if after a
// line break (eos is the first context), which is also how generation starts.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "recur/core/tensor.h"
#include "recur/decoder.h"
#include "recur/tokenizer.h"

namespace recur {

struct TokenStream {
  std::vector<std::int64_t> ids;
  std::int64_t characters = 0;  // code points + line breaks: what bits per character divide by
  std::int64_t lines = 0;
};

// Reads and tokenizes `file` line by line. Invalid UTF-8 is an IoError naming file:line
// and the byte offset in the line; an unreadable file names the file.
TokenStream read_token_stream(const Tokenizer& tokenizer, const std::filesystem::path& file);

// `text` as stream ids: its lines' tokens joined by eos (a final line break gives a final
// eos). Invalid UTF-8 is an Error naming the byte offset.
std::vector<std::int64_t> encode_stream(const Tokenizer& tokenizer, std::string_view text);
// The inverse: eos is "\n", the ids between are decoded line by line.
std::string decode_stream(const Tokenizer& tokenizer, const std::vector<std::int64_t>& ids);

// The chunk layout of truncated backpropagation through time (PyTorch's
// word_language_model `batchify`): the stream from `offset` is cut into `rows` equal
// rows (the rest is dropped); chunk k feeds positions [kT, kT + T) of every row and is
// scored on the next position, so row r's state carries from chunk k to chunk k + 1.
class StreamChunks {
 public:
  StreamChunks(const std::vector<std::int64_t>& ids, std::int64_t rows, std::int64_t length,
               std::int64_t offset = 0);

  std::int64_t size() const { return chunks_; }
  std::int64_t rows() const { return rows_; }
  // Inputs [rows, T'] and targets [rows * T'] (row-major) of chunk k; T' = T except for
  // a shorter last chunk.
  void chunk(std::int64_t k, Tensor& inputs, Tensor& targets) const;
  // Targets per epoch: rows * (row length - 1).
  std::int64_t tokens() const { return rows_ * (row_length_ - 1); }

 private:
  const std::vector<std::int64_t>& ids_;
  std::int64_t rows_, length_, offset_, row_length_, chunks_;
};

struct StreamScore {
  double nll = 0;              // summed negative log-likelihood, nats
  std::int64_t tokens = 0;     // tokens predicted (every token of the stream)
  std::int64_t characters = 0;

  double bits_per_character() const;
  double perplexity() const;   // per token
};

// The negative log-likelihood of every token of the stream under a decoder-only model,
// exactly (one row, the state carried across chunks of `chunk` tokens; the first token is
// predicted after `start_id`). Runs without a tape; the caller puts the model in eval mode.
StreamScore score_stream(Decoder& decoder, const TokenStream& stream, std::int64_t start_id,
                         std::int64_t chunk = 256);

}  // namespace recur
