// Turning a line of text into a model's source ids, the same way for every task whose
// records are text (translation, summarization, classification, ...): check the bytes,
// skip blank lines, tokenize, crop to the model's length, append eos. Problems are
// counted in the job's counts and named in warnings (input:line), never dropped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "recur/data/line_reader.h"
#include "recur/encoder.h"
#include "recur/pipeline/batch_job.h"
#include "recur/tokenizer.h"

namespace recur {

struct TextRecordRules {
  std::int64_t max_length = 256;  // ids kept, eos included; longer records are cropped
  bool strict = false;            // invalid UTF-8 or NUL bytes: an IoError naming the line
};

// Registers the counter names below as warnings of `counts`.
void declare_text_warnings(JobCounts& counts);

// The ids of `record` (eos last), or none for a blank line. Invalid UTF-8 and NUL bytes
// are replaced with U+FFFD and counted ("invalid UTF-8"), or an IoError in strict mode;
// blank lines are counted ("empty"); cropped ones too ("cropped"). `input` names the
// input in messages.
std::vector<std::int64_t> text_record_ids(data::Line& record, const Tokenizer& tokenizer,
                                          const TextRecordRules& rules, const std::string& input,
                                          JobCounts& counts);

// The most bytes of a line worth reading for `max_length` ids: no tokenizer makes a
// piece of more than this many bytes in practice, so a longer line is cropped anyway.
std::size_t text_record_max_bytes(std::int64_t max_length);

// Id rows (each with its eos) padded with `pad` to one [B, S] batch, with their lengths:
// what a text encoder reads.
SourceBatch padded_source_batch(const std::vector<const std::vector<std::int64_t>*>& rows, std::int64_t pad);

// Decoded text on one line: a newline inside an output would shift every later record.
std::string one_line(std::string text);

}  // namespace recur
