// The HTML report is self-contained: inline SVG with ids unique per figure, hotspots with
// <title>, no script and nothing fetched.
#include "recur/viz/html_report.h"

#include <gtest/gtest.h>

#include "recur/viz/heatmap.h"

namespace recur::viz {
namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

HeatmapSpec spec() {
  return {"t", {}, "target", "source", {"a", "b"}, {"x", "y"}, {{0.5f, 0.5f}, {1, 0}}};
}

TEST(HtmlReport, PanelsWithInlineSvgAndHoverTitles) {
  const std::string html = html_report("report <1>", {{"first", "a & b", heatmap_figure(spec())},
                                                      {"second", "", heatmap_figure(spec())}});
  EXPECT_EQ(count(html, "<section class=\"panel\""), 2u);
  EXPECT_EQ(count(html, "<svg"), 2u);
  EXPECT_EQ(count(html, "<title>"), 1u + 8u);  // the page's, and one per cell
  EXPECT_NE(html.find("report &lt;1&gt;"), std::string::npos);
  EXPECT_NE(html.find("a &amp; b"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  EXPECT_EQ(html.find("<?xml"), std::string::npos);
  // Each figure's glyph ids are its own: the second figure refers to f1-... only.
  EXPECT_NE(html.find("id=\"f0-glyph"), std::string::npos);
  EXPECT_NE(html.find("href=\"#f1-glyph"), std::string::npos);
  EXPECT_EQ(html.find("href=\"#glyph"), std::string::npos);
}

}  // namespace
}  // namespace recur::viz
