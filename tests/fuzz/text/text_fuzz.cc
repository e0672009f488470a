// libFuzzer entry for text input: the line reader and both UTF-8 validators. For any
// bytes:
//   - LineReader (in chunks of a size taken from the first byte) returns lines numbered
//     1..n without '\n' that join back to the input (minus one '\r' before each '\n');
//   - data::find_invalid_utf8 and text::decode_utf8 accept exactly the same strings, and
//     encode_utf8(decode_utf8(s)) == s for those;
//   - replace_invalid_utf8 leaves valid UTF-8 unchanged, and its output is always valid,
//     its prefix up to the first invalid byte unchanged.
// Anything else (a crash, a sanitizer report, a broken property) is a bug.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "recur/core/error.h"
#include "recur/data/line_reader.h"
#include "recur/data/utf8.h"
#include "recur/text/utf8.h"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

void check_lines(const std::string& input, std::size_t chunk) {
  std::istringstream in(input);
  recur::data::LineReader reader(in, "<fuzz>");
  std::string joined;
  std::uint64_t expected_number = 1;
  for (;;) {
    std::vector<recur::data::Line> lines = reader.next(chunk);
    check(lines.size() <= chunk);
    if (lines.empty()) break;
    for (const auto& line : lines) {
      check(line.number == expected_number++);
      check(line.text.find('\n') == std::string::npos);
      joined += line.text;
      joined += '\n';
    }
  }
  check(reader.lines_read() == expected_number - 1);
  // getline's lines: pieces between '\n's, the last one only if not empty; each loses
  // one trailing '\r'.
  std::string normal;
  std::size_t begin = 0;
  while (begin < input.size()) {
    std::size_t end = input.find('\n', begin);
    if (end == std::string::npos) end = input.size();
    std::string_view piece(input.data() + begin, end - begin);
    if (!piece.empty() && piece.back() == '\r') piece.remove_suffix(1);
    normal.append(piece).push_back('\n');
    begin = end + 1;
  }
  check(joined == normal);
}

void check_utf8(const std::string& s) {
  const std::optional<std::size_t> bad = recur::data::find_invalid_utf8(s);
  bool decodes = true;
  std::u32string code_points;
  try {
    code_points = recur::text::decode_utf8(s);
  } catch (const recur::Error&) {
    decodes = false;
  }
  check(decodes == !bad.has_value());
  if (decodes) check(recur::text::encode_utf8(code_points) == s);

  std::string replaced = s;
  const std::size_t n = recur::data::replace_invalid_utf8(replaced);
  check((n == 0) == !bad.has_value());
  check(!recur::data::find_invalid_utf8(replaced).has_value());
  if (bad) {
    check(*bad < s.size());
    check(replaced.compare(0, *bad, s, 0, *bad) == 0);
  } else {
    check(replaced == s);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] % 8;
  const std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
  check_lines(input, chunk);
  check_utf8(input);
  return 0;
}
