#include "recur/data/line_reader.h"

#include "recur/core/error.h"

namespace recur::data {

LineReader::LineReader(std::istream& in, std::string name) : in_(in), name_(std::move(name)) {}

std::vector<Line> LineReader::next(std::size_t max_lines) {
  std::vector<Line> out;
  std::string text;
  while (out.size() < max_lines && std::getline(in_, text)) {
    if (!text.empty() && text.back() == '\r') text.pop_back();
    out.push_back({++count_, std::move(text)});
    text.clear();
  }
  if (in_.bad()) throw IoError(name_ + ": read error after line " + std::to_string(count_));
  return out;
}

}  // namespace recur::data
