#include "recur/data/line_reader.h"

#include <limits>

#include "recur/core/error.h"

namespace recur::data {

namespace {

// Drops a UTF-8 sequence cut short at the end of s (the bound fell inside a character).
void trim_partial_character(std::string& s) {
  std::size_t lead = s.size();
  for (std::size_t back = 1; back <= 4 && back <= s.size(); ++back) {
    const auto c = static_cast<unsigned char>(s[s.size() - back]);
    if ((c & 0xC0) != 0x80) {
      lead = s.size() - back;
      break;
    }
  }
  if (lead == s.size()) return;
  const auto c = static_cast<unsigned char>(s[lead]);
  const std::size_t need = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
  if (lead + need > s.size()) s.resize(lead);
}

}  // namespace

LineReader::LineReader(std::istream& in, std::string name) : in_(in), name_(std::move(name)) {}

bool LineReader::read_line(Line& line) {
  line.text.clear();
  line.bytes_cut = 0;
  if (max_bytes_ == 0) {
    if (!std::getline(in_, line.text)) return false;
  } else {
    buffer_.resize(max_bytes_ + 1);  // once: lines are copied out of it
    in_.getline(buffer_.data(), static_cast<std::streamsize>(max_bytes_ + 1));
    const auto got = static_cast<std::size_t>(in_.gcount());
    if (got == 0 && in_.eof()) return false;
    if (in_.fail() && !in_.eof() && !in_.bad()) {  // longer than the bound: skip the rest
      line.text.assign(buffer_.data(), got);
      in_.clear();
      in_.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
      line.bytes_cut = static_cast<std::uint64_t>(in_.gcount());
      if (line.bytes_cut > 0 && !in_.eof()) --line.bytes_cut;  // the newline
      const std::size_t before = line.text.size();
      trim_partial_character(line.text);
      line.bytes_cut += before - line.text.size();
    } else {
      // gcount counts the newline getline extracted (not stored).
      line.text.assign(buffer_.data(), in_.eof() ? got : got - 1);
    }
    if (in_.eof()) in_.clear(in_.rdstate() & ~std::ios::failbit);
  }
  if (line.bytes_cut == 0 && !line.text.empty() && line.text.back() == '\r') line.text.pop_back();
  line.number = ++count_;
  return true;
}

bool LineReader::read_paragraph(Line& paragraph) {
  paragraph.text.clear();
  paragraph.bytes_cut = 0;
  paragraph.number = 0;
  Line line;
  while (read_line(line)) {
    const bool blank = line.text.find_first_not_of(" \t") == std::string::npos;
    if (blank) {
      if (paragraph.number != 0) return true;  // the paragraph ends
      continue;                                // blank lines before it
    }
    if (paragraph.number == 0) paragraph.number = line.number;
    paragraph.bytes_cut += line.bytes_cut;
    const std::size_t join = paragraph.text.empty() ? 0 : 1;
    if (max_bytes_ > 0 && paragraph.text.size() + join + line.text.size() > max_bytes_) {
      // Over the bound: keep what fits (at a character boundary), count the rest.
      const std::size_t room = max_bytes_ > paragraph.text.size() + join ? max_bytes_ - paragraph.text.size() - join : 0;
      std::string part = line.text.substr(0, room);
      trim_partial_character(part);
      paragraph.bytes_cut += line.text.size() - part.size();
      if (!part.empty()) paragraph.text += (join ? " " : "") + part;
      continue;
    }
    if (join) paragraph.text += ' ';
    paragraph.text += line.text;
  }
  return paragraph.number != 0;
}

bool LineReader::read_record(Line& record) {
  return paragraphs_ ? read_paragraph(record) : read_line(record);
}

std::vector<Line> LineReader::next(std::size_t max_lines) {
  std::vector<Line> out;
  Line line;
  while (out.size() < max_lines && read_record(line)) out.push_back(std::move(line));
  if (in_.bad()) throw IoError(name_ + ": read error after line " + std::to_string(count_));
  return out;
}

std::uint64_t LineReader::skip(std::uint64_t lines) {
  std::uint64_t done = 0;
  if (paragraphs_) {
    Line paragraph;
    while (done < lines && read_paragraph(paragraph)) ++done;
    if (in_.bad()) throw IoError(name_ + ": read error after line " + std::to_string(count_));
    return done;
  }
  for (; done < lines; ++done) {
    in_.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
    if (in_.gcount() == 0 && in_.eof()) break;
    ++count_;
  }
  if (in_.bad()) throw IoError(name_ + ": read error after line " + std::to_string(count_));
  return done;
}

}  // namespace recur::data
