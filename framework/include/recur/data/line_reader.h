// Streams lines from a file or stdin with bounded memory, in chunks (maxi-batches).
// Line numbers are 1-based. A trailing "\r" is removed; a final line without "\n" is
// still a line; an empty file has no lines. With a byte bound, a longer line is cut at
// a UTF-8 character boundary and the rest of it skipped without being held in memory.
//
// Paragraph mode (`recur summarize --paragraphs`): a record is a paragraph, i.e. the
// lines between blank lines (lines of only spaces and tabs count as blank), joined with
// single spaces; its number is the number of its first line. The byte bound then holds
// for the whole paragraph.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace recur::data {

struct Line {
  std::uint64_t number = 0;  // 1-based
  std::string text;
  std::uint64_t bytes_cut = 0;  // bytes of the line dropped by the byte bound
};

class LineReader {
 public:
  // `name` stands for the stream in messages (a file name, or "<stdin>").
  LineReader(std::istream& in, std::string name);

  // Lines keep at most `bytes` bytes (0: no bound).
  void set_max_line_bytes(std::size_t bytes) { max_bytes_ = bytes; }
  // Records are paragraphs (above) rather than lines.
  void set_paragraphs(bool on) { paragraphs_ = on; }
  // Up to `max_lines` next lines (empty at the end). Throws IoError on a read error.
  std::vector<Line> next(std::size_t max_lines);
  // Skips up to `lines` records (resuming a job); returns how many were skipped.
  std::uint64_t skip(std::uint64_t lines);
  std::uint64_t lines_read() const { return count_; }
  const std::string& name() const { return name_; }

 private:
  bool read_line(Line& line);
  bool read_record(Line& record);
  bool read_paragraph(Line& paragraph);

  std::istream& in_;
  std::string name_;
  std::uint64_t count_ = 0;
  std::size_t max_bytes_ = 0;
  bool paragraphs_ = false;
  std::string buffer_;
};

}  // namespace recur::data
