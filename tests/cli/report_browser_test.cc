// `recur report` renders in a real browser: headless Chromium (Debian's `chromium`) takes
// a screenshot of the page, which must not be blank, and its DOM must hold the expected
// panels. Labelled "browser"; skipped, saying so, only where chromium is not installed.
#include <cairo.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>

#include "run_recur.h"

namespace recur::testing {
namespace {

namespace fs = std::filesystem;

std::string chromium() {
  for (const char* path : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
    if (fs::exists(path)) return path;
  }
  return "";
}

// Runs `command`, its standard output into `out`; returns the exit status.
int shell(const std::string& command, const fs::path& out) {
  const int status = std::system((command + " > '" + out.string() + "' 2>/dev/null").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(ReportInBrowser, RendersPanelsThatAreNotBlank) {
  const std::string browser = chromium();
  if (browser.empty())
    GTEST_SKIP() << "chromium is not installed (scripts/install-deps.sh installs it)";
  TempDir dir;
  const fs::path att = dir.path() / "att.jsonl";
  std::ofstream(att)
      << R"({"line": 1, "source": ["▁Ça", "▁va", "</s>"], "target": ["▁日本", "</s>"], )"
         R"("attention": [[0.7, 0.3, 0.0], [0.1, 0.1, 0.8]]})"
         "\n";
  const fs::path conf = dir.path() / "conf.jsonl";
  std::ofstream(conf) << R"({"line": 1, "tokens": ["▁日本", "</s>"], "top_k": [[["▁日本", 0.8], ["▁Ça", 0.1]], )"
                         R"([["</s>", 0.9], ["▁va", 0.05]]]})"
                         "\n";
  const fs::path moby = dir.path() / "text.txt";
  std::ofstream(moby) << "\u201cCall me Ishmael,\u201d he said.\n";
  const fs::path html = dir.path() / "report.html";
  const std::string models = std::string(RECUR_SOURCE_DIR) + "/models/";
  const RunResult r =
      run_recur({"report", "--attention", att.string(), "--confidence", conf.string(), "--training", models + "en-fr",
                 "--activations", moby.string(), "-m", models + "moby-dick", "--units", "181,17", "-o", html.string()});
  ASSERT_EQ(r.code, 0) << r.err;

  // A profile of its own in the test's folder: nothing of the user's is read or written.
  // No sandbox (CI runs as root), no /dev/shm (a chroot may not mount it).
  const std::string base =
      "'" + browser + "' --headless --disable-gpu --no-sandbox --no-first-run " +
      "--disable-dev-shm-usage --user-data-dir='" + (dir.path() / "profile").string() + "' ";
  const fs::path shot = dir.path() / "shot.png";
  const fs::path log = dir.path() / "log";
  ASSERT_EQ(shell(base + "--screenshot='" + shot.string() + "' --window-size=1200,900 'file://" +
                      html.string() + "'",
                  log),
            0);
  cairo_surface_t* s = cairo_image_surface_create_from_png(shot.string().c_str());
  ASSERT_EQ(cairo_surface_status(s), CAIRO_STATUS_SUCCESS) << "no screenshot";
  const int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
  EXPECT_EQ(w, 1200);
  const int stride = cairo_image_surface_get_stride(s);
  const unsigned char* data = cairo_image_surface_get_data(s);
  double sum = 0, sum2 = 0;
  for (int y = 0; y < h; ++y) {
    const auto* row = reinterpret_cast<const std::uint32_t*>(data + y * stride);
    for (int x = 0; x < w; ++x) {
      const double grey =
          (((row[x] >> 16) & 0xff) + ((row[x] >> 8) & 0xff) + (row[x] & 0xff)) / 3.0;
      sum += grey;
      sum2 += grey * grey;
    }
  }
  cairo_surface_destroy(s);
  const double n = static_cast<double>(w) * h;
  const double variance = sum2 / n - (sum / n) * (sum / n);
  EXPECT_GT(variance, 100.0) << "the screenshot is (nearly) blank";

  const fs::path dom = dir.path() / "dom.html";
  ASSERT_EQ(shell(base + "--dump-dom 'file://" + html.string() + "'", dom), 0);
  std::ifstream in(dom);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::size_t panels = 0, svgs = 0;
  for (std::size_t p = text.find("class=\"panel\""); p != std::string::npos;
       p = text.find("class=\"panel\"", p + 1))
    ++panels;
  for (std::size_t p = text.find("<svg"); p != std::string::npos; p = text.find("<svg", p + 1))
    ++svgs;
  EXPECT_EQ(panels, 4u);  // training, one attention record, one confidence record, the hidden units
  EXPECT_EQ(svgs, 4u);
}

}  // namespace
}  // namespace recur::testing
