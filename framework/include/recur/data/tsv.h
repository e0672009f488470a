// Reads two-column TSV files, `key<TAB>value` per line (e.g. an image path and its
// caption for `recur eval --format tsv`). The key is the text before the first TAB and
// the value everything after it (a value may hold further TABs only if the caller
// allows it). Lines are read like LineReader's: a trailing "\r" is removed.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace recur::data {

struct TsvRow {
  std::uint64_t line = 0;  // 1-based
  std::string key;
  std::string value;
};

// Every line of `in`. A line without a TAB, with an empty key, or (unless
// `extra_tabs`) with a second TAB is an IoError "name:line: ...". `name` stands for the
// stream in messages.
std::vector<TsvRow> read_tsv(std::istream& in, const std::string& name, bool extra_tabs = false);

}  // namespace recur::data
