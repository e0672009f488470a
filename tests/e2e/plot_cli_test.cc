// From a shipped model to pictures: `recur translate --attention` then `recur plot
// attention` and `recur report`; the captioning fixture model's `recur caption
// --attention` then `recur plot image-attention`.
#include <gtest/gtest.h>

#include <fstream>

#include "cli/run_recur.h"

namespace recur::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kSource(RECUR_SOURCE_DIR);

bool is_png(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return std::string(magic + 1, 3) == "PNG";
}

TEST(PlotCli, TranslationAttentionToPictureAndReport) {
  TempDir dir;
  std::ofstream(dir.path() / "in.en")
      << "This package provides a library for reading PNG images.\n\n";
  const fs::path att = dir.path() / "att.jsonl";
  RunResult r = run_recur({"translate", "-m", (kSource / "models/en-fr").string(), "-i",
                           (dir.path() / "in.en").string(), "-o", (dir.path() / "out.fr").string(),
                           "--attention", att.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  r = run_recur(
      {"plot", "attention", "-i", att.string(), "--all", "-o", (dir.path() / "pictures").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(is_png(dir.path() / "pictures/line-1.png"));
  EXPECT_TRUE(is_png(dir.path() / "pictures/line-2.png"));  // the blank line: an empty picture
  r = run_recur({"report", "--attention", att.string(), "--training",
                 (kSource / "models/en-fr").string(), "-o", (dir.path() / "r.html").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir.path() / "r.html"));
}

TEST(PlotCli, CaptionAttentionToPanels) {
  TempDir dir;
  const fs::path images = kSource / "tests/data/viz";
  const fs::path att = dir.path() / "cap.jsonl";
  RunResult r =
      run_recur({"caption", "-m", (kSource / "tests/data/fixtures/caption").string(),
                 (images / "red_square.png").string(), (images / "blue_bar.png").string(), "-o",
                 (dir.path() / "captions.tsv").string(), "--attention", att.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  r = run_recur({"plot", "image-attention", "-i", att.string(), "--all", "-o",
                 (dir.path() / "panels").string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(is_png(dir.path() / "panels/line-1.png"));
  EXPECT_TRUE(is_png(dir.path() / "panels/line-2.png"));
}

}  // namespace
}  // namespace recur::testing
