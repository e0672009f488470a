// sacreBLEU's "13a" tokeniser, the one of mteval-v13a.pl used by WMT. The regular
// expressions of the original are applied as byte scans with the same left-to-right,
// non-overlapping semantics; every character they test is ASCII, so working on UTF-8
// bytes gives the same result as working on code points.
#include <string>

#include "recur/metrics/bleu.h"
#include "recur/text/utf8.h"

namespace recur::metrics {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_period_or_comma(char c) { return c == '.' || c == ','; }

// [\{-\~\[-\` -\&\(-\+\:-\@\/]
bool is_split_punctuation(char c) {
  return (c >= '{' && c <= '~') || (c >= '[' && c <= '`') || (c >= ' ' && c <= '&') ||
         (c >= '(' && c <= '+') || (c >= ':' && c <= '@') || c == '/';
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  std::string out;
  std::size_t start = 0;
  for (std::size_t pos; (pos = s.find(from, start)) != std::string::npos; start = pos + from.size()) {
    out.append(s, start, pos - start).append(to);
  }
  out.append(s, start);
  s = std::move(out);
}

// Applies "(a)(b) -> replacement" where match(a, b) decides, scanning left to right.
template <class Match, class Emit>
std::string scan_pairs(const std::string& s, Match&& match, Emit&& emit) {
  std::string out;
  out.reserve(s.size() + s.size() / 4);
  std::size_t i = 0;
  while (i < s.size()) {
    if (i + 1 < s.size() && match(s[i], s[i + 1])) {
      emit(out, s[i], s[i + 1]);
      i += 2;
    } else {
      out.push_back(s[i++]);
    }
  }
  return out;
}

}  // namespace

std::string tokenize_13a(std::string_view input) {
  std::string line(input);
  replace_all(line, "<skipped>", "");
  replace_all(line, "-\n", "");
  replace_all(line, "\n", " ");
  replace_all(line, "&quot;", "\"");
  replace_all(line, "&amp;", "&");
  replace_all(line, "&lt;", "<");
  replace_all(line, "&gt;", ">");

  std::string spaced;
  spaced.reserve(line.size() * 2 + 2);
  spaced.push_back(' ');
  for (char c : line) {
    if (is_split_punctuation(c)) {
      spaced.append({' ', c, ' '});
    } else {
      spaced.push_back(c);
    }
  }
  spaced.push_back(' ');

  // period and comma unless preceded by a digit: ([^0-9])([\.,]) -> "\1 \2 "
  spaced = scan_pairs(
      spaced, [](char a, char b) { return !is_digit(a) && is_period_or_comma(b); },
      [](std::string& o, char a, char b) { o.append({a, ' ', b, ' '}); });
  // period and comma unless followed by a digit: ([\.,])([^0-9]) -> " \1 \2"
  spaced = scan_pairs(
      spaced, [](char a, char b) { return is_period_or_comma(a) && !is_digit(b); },
      [](std::string& o, char a, char b) { o.append({' ', a, b}); });
  // dash preceded by a digit: ([0-9])(-) -> "\1 \2 "
  spaced = scan_pairs(
      spaced, [](char a, char b) { return is_digit(a) && b == '-'; },
      [](std::string& o, char a, char b) { o.append({a, ' ', b, ' '}); });

  std::string out;
  for (const std::string& token : text::split_whitespace(spaced)) {
    if (!out.empty()) out.push_back(' ');
    out += token;
  }
  return out;
}

}  // namespace recur::metrics
