// Streams lines from a file or stdin with bounded memory, in chunks (maxi-batches).
// Line numbers are 1-based. A trailing "\r" is removed; a final line without "\n" is
// still a line; an empty file has no lines.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace recur::data {

struct Line {
  std::uint64_t number = 0;  // 1-based
  std::string text;
};

class LineReader {
 public:
  // `name` stands for the stream in messages (a file name, or "<stdin>").
  LineReader(std::istream& in, std::string name);

  // Up to `max_lines` next lines (empty at the end). Throws IoError on a read error.
  std::vector<Line> next(std::size_t max_lines);
  std::uint64_t lines_read() const { return count_; }
  const std::string& name() const { return name_; }

 private:
  std::istream& in_;
  std::string name_;
  std::uint64_t count_ = 0;
};

}  // namespace recur::data
