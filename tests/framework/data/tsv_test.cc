#include "recur/data/tsv.h"

#include <gtest/gtest.h>

#include <sstream>

#include "recur/core/error.h"

namespace recur::data {
namespace {

std::vector<TsvRow> read(const std::string& text, bool extra_tabs = false) {
  std::istringstream in(text);
  return read_tsv(in, "refs.tsv", extra_tabs);
}

std::string error_of(const std::string& text) {
  try {
    read(text);
  } catch (const IoError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Tsv, KeysValuesAndLineNumbers) {
  const auto rows = read("a.png\tgrinning face\r\nb.png\t\nc.png\tflag: Egypt");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].key, "a.png");
  EXPECT_EQ(rows[0].value, "grinning face");
  EXPECT_EQ(rows[1].value, "");  // an empty value is the caller's business
  EXPECT_EQ(rows[2].line, 3u);
  EXPECT_EQ(rows[2].value, "flag: Egypt");
  EXPECT_TRUE(read("").empty());
}

TEST(Tsv, ErrorsNameFileAndLine) {
  EXPECT_EQ(error_of("a\tx\nno tab here\n"), "refs.tsv:2: no TAB (expected key<TAB>value)");
  EXPECT_EQ(error_of("a\tx\n\n"), "refs.tsv:2: no TAB (expected key<TAB>value)");
  EXPECT_EQ(error_of("\tx\n"), "refs.tsv:1: empty key before the TAB");
  EXPECT_EQ(error_of("a\tx\ty\n"), "refs.tsv:1: more than one TAB (expected key<TAB>value)");
  EXPECT_EQ(read("a\tx\ty\n", true)[0].value, "x\ty");
}

}  // namespace
}  // namespace recur::data
