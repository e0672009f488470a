#include "recur/pipeline/text_records.h"

#include <algorithm>
#include <cctype>

#include "recur/core/error.h"
#include "recur/core/logging.h"
#include "recur/pipeline/teacher_forcing.h"
#include "recur/text/utf8.h"

namespace recur {

namespace {

constexpr std::size_t kBytesPerId = 64;

bool blank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

// NUL bytes are valid UTF-8 but not text: they are replaced like invalid bytes.
std::size_t replace_nul(std::string& text) {
  std::size_t n = 0;
  for (std::size_t at; (at = text.find('\0')) != std::string::npos; ++n) text.replace(at, 1, "\xEF\xBF\xBD");
  return n;
}

}  // namespace

void declare_text_warnings(JobCounts& counts) {
  for (const char* k : {"invalid UTF-8", "cropped"}) counts.warning_keys.emplace_back(k);
}

std::size_t text_record_max_bytes(std::int64_t max_length) {
  return static_cast<std::size_t>(std::max<std::int64_t>(max_length, 1)) * kBytesPerId;
}

std::vector<std::int64_t> text_record_ids(data::Line& record, const Tokenizer& tok,
                                          const TextRecordRules& rules, const std::string& input,
                                          JobCounts& counts) {
  std::string& text = record.text;
  if (rules.strict) {
    if (auto bad = text::find_invalid_utf8(text)) {
      throw IoError(input + ":" + std::to_string(record.number) + ": invalid UTF-8 at byte " +
                    std::to_string(*bad + 1));
    }
    if (auto nul = text.find('\0'); nul != std::string::npos) {
      throw IoError(input + ":" + std::to_string(record.number) + ": NUL byte at byte " +
                    std::to_string(nul + 1));
    }
  } else if (const std::size_t bad = text::replace_invalid_utf8(text) + replace_nul(text); bad > 0) {
    counts.add("invalid UTF-8");
    log().warn("{}:{}: invalid UTF-8 or NUL bytes replaced with U+FFFD", input, record.number);
  }
  if (blank(text)) {
    counts.add("empty");
    return {};
  }
  std::vector<std::int64_t> ids = tok.encode(text);
  const auto max_ids = rules.max_length - 1;  // room for eos
  if (static_cast<std::int64_t>(ids.size()) > max_ids) {
    counts.add("cropped");
    log().warn("{}:{}: {} tokens cropped to the model's maximum of {}", input, record.number,
               ids.size(), max_ids);
    ids.resize(static_cast<std::size_t>(max_ids));
  }
  ids.push_back(tok.eos_id());
  counts.add("source tokens", ids.size());
  return ids;
}

std::string one_line(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

SourceBatch padded_source_batch(const std::vector<const std::vector<std::int64_t>*>& rows, std::int64_t pad) {
  SourceBatch batch;
  for (const auto* r : rows) batch.lengths.push_back(static_cast<std::int64_t>(r->size()));
  batch.data = pad_id_rows(rows, pad);
  return batch;
}

}  // namespace recur
