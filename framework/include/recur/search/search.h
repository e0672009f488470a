// Search over the Decoder interface only: greedy, batched beam search and sampling.
// Search knows nothing about LSTMs, files or batching; it sees a Decoder, the encoder's
// Memory (possibly empty: a decoder-only model) and each row's source length, key and
// forced prefix.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "recur/decoder.h"
#include "recur/encoder.h"
#include "recur/search/options.h"

namespace recur::search {

struct Hypothesis {
  std::vector<std::int64_t> ids;               // without bos, the prefix and eos
  float score = 0;                              // log-prob / length penalty
  float log_prob = 0;                           // sum of token log-probs (eos included)
  std::vector<std::vector<float>> attention;    // per output step (incl. eos): [S]
};

// What a row of a batch is: its source length (for the maximum output length), a stable
// key (its line number) that seeds sampling, so results do not depend on what else is
// in the batch, and a prefix (a prompt): tokens fed after bos before anything is chosen.
// The hypotheses continue the prefix and exclude it; the length limits and penalty
// count only what search chose.
struct Row {
  Row(std::int64_t source_length = 0, std::uint64_t key = 0, std::vector<std::int64_t> prefix = {})
      : source_length(source_length), key(key), prefix(std::move(prefix)) {}

  std::int64_t source_length;
  std::uint64_t key;
  std::vector<std::int64_t> prefix;
};

// Decodes every row of the batch; result[b] holds up to n_best hypotheses, best first.
// The strategy: sampling if options.sampling, else greedy for beam_size 1, else beam
// search. Options failing check() are a ConfigError naming the key ("search.beam_size:
// ..."); a memory with another number of rows than `rows` is a ShapeError.
std::vector<std::vector<Hypothesis>> decode(Decoder& decoder, const Memory& memory,
                                            const std::vector<Row>& rows,
                                            const Options& options);

// The same over a subset of the target vocabulary (a vocabulary shortlist, shortlist.h):
// when `output_ids` is non-empty and the decoder supports it (supports_output_subset),
// each step scores only those ids (recur/output_subset.h: log-probs normalised over
// them); they must be sorted, unique and in [0, V) (ShapeError), and should include eos.
// Otherwise, and for an empty `output_ids`, the whole vocabulary. Since ABI 4.4.
std::vector<std::vector<Hypothesis>> decode(Decoder& decoder, const Memory& memory,
                                            const std::vector<Row>& rows, const Options& options,
                                            const std::vector<std::int64_t>& output_ids);

// Whether `decoder` is an OutputSubset that can restrict its output as configured.
bool supports_output_subset(const Decoder& decoder);

// The GNMT length penalty ((5 + length) / 6) ^ alpha.
float length_penalty(std::int64_t length, float alpha);

}  // namespace recur::search
