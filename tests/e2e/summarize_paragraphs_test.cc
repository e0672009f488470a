// `recur summarize --paragraphs`: a document is a paragraph (lines up to a blank line,
// joined with single spaces), and its output is what the joined line gives.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "cli/run_recur.h"
#include "tiny_model.h"

namespace recur::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(SummarizeParagraphs, EachParagraphIsOneDocumentWithOneOutputLine) {
  TempDir dir;
  const fs::path paragraphs = dir.path() / "docs.txt", joined = dir.path() / "joined.txt";
  std::ofstream(paragraphs) << "\nThe package provides a library.\nIt is small.\n\n \n"
                               "Documentation for the tools.\n";
  std::ofstream(joined) << "The package provides a library. It is small.\n"
                           "Documentation for the tools.\n";
  const std::string model = tiny_model_dir().string();
  RunResult p = run_recur({"summarize", "-m", model, "--paragraphs", "-i", paragraphs.string(),
                           "-o", (dir.path() / "p.out").string()});
  ASSERT_EQ(p.code, 0) << p.err;
  EXPECT_THAT(p.err, HasSubstr("2 paragraphs"));
  RunResult j = run_recur({"summarize", "-m", model, "-i", joined.string(), "-o",
                           (dir.path() / "j.out").string()});
  ASSERT_EQ(j.code, 0) << j.err;
  const std::string out = read(dir.path() / "p.out");
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 2);
  EXPECT_EQ(out, read(dir.path() / "j.out"));
}

}  // namespace
}  // namespace recur::testing
