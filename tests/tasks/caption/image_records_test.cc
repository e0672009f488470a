// Image records (tasks/caption/image_records.cc): what a line of a caption job's input
// names, and the feature grid a flattened encoder memory forms.
#include "image_records.h"

#include <gtest/gtest.h>

#include <vector>

namespace recur::tasks {
namespace {

namespace fs = std::filesystem;

ImageRecord record(const std::string& text, const fs::path& base = "/data/list") {
  data::Line line;
  line.number = 7;
  line.text = text;
  return image_record(line, base);
}

TEST(ImageRecord, TheFirstTabFieldIsThePath) {
  const ImageRecord r = record("img/a.png\ta red bar at the top\textra");
  EXPECT_EQ(r.line, 7u);
  EXPECT_EQ(r.path, "img/a.png");
  EXPECT_TRUE(r.error.empty()) << r.error;
}

TEST(ImageRecord, TrailingSpacesAndCarriageReturnsAreDropped) {
  EXPECT_EQ(record("a.png  \r").path, "a.png");
  EXPECT_EQ(record("a.png \t caption\r").path, "a.png");
  EXPECT_EQ(record("  a.png").path, "  a.png");  // leading spaces may be part of a name
}

TEST(ImageRecord, RelativePathsAreResolvedAgainstTheBaseFolder) {
  const ImageRecord r = record("img/a.png", "/data/list");
  EXPECT_EQ(r.path, "img/a.png");  // as written: what the output repeats
  EXPECT_EQ(r.file, fs::path("/data/list/img/a.png"));
}

TEST(ImageRecord, AbsolutePathsAreKept) {
  EXPECT_EQ(record("/images/a.png", "/data/list").file, fs::path("/images/a.png"));
}

TEST(ImageRecord, WithoutABaseFolderRelativePathsStayRelative) {
  EXPECT_EQ(record("img/a.png", "").file, fs::path("img/a.png"));
}

TEST(ImageRecord, AnEmptyLineIsAnErrorNotAPath) {
  for (const std::string text : {"", "   ", "\r", "\tcaption only"}) {
    const ImageRecord r = record(text);
    EXPECT_EQ(r.error, "empty line") << "'" << text << "'";
    EXPECT_TRUE(r.path.empty());
  }
}

TEST(ImageRecord, ANulByteInThePathIsAnError) {
  EXPECT_EQ(record(std::string("a\0.png", 6)).error, "NUL byte in the path");
}

TEST(FeatureGrid, SquareImagesGiveSquareGrids) {
  EXPECT_EQ(feature_grid(64, 128, 128), (std::vector<std::int64_t>{8, 8}));
  EXPECT_EQ(feature_grid(16, 32, 32), (std::vector<std::int64_t>{4, 4}));
  EXPECT_EQ(feature_grid(1, 5, 5), (std::vector<std::int64_t>{1, 1}));
}

TEST(FeatureGrid, NonSquareImagesKeepTheirAspect) {
  EXPECT_EQ(feature_grid(15, 12, 20), (std::vector<std::int64_t>{3, 5}));  // the fixture model
  EXPECT_EQ(feature_grid(15, 20, 12), (std::vector<std::int64_t>{5, 3}));
  EXPECT_EQ(feature_grid(32, 64, 128), (std::vector<std::int64_t>{4, 8}));
  EXPECT_EQ(feature_grid(7, 10, 70), (std::vector<std::int64_t>{1, 7}));  // a prime: a row
}

TEST(FeatureGrid, TheGridAlwaysHoldsEveryPosition) {
  for (std::int64_t s = 1; s <= 50; ++s) {
    const auto g = feature_grid(s, 12, 20);
    EXPECT_EQ(g[0] * g[1], s) << s;
  }
}

}  // namespace
}  // namespace recur::tasks
