// LoadLimits::paths_inside_base_dir (what `recur translate -m DIR` asks of a model
// folder): a path value must resolve inside the YAML's folder, also when that folder is
// given by a relative path such as "../models/en-fr".
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "recur/config/section.h"
#include "recur/core/error.h"

namespace recur::config {
namespace {

namespace fs = std::filesystem;

struct Folder {
  Folder() : root(fs::temp_directory_path() / ("recur-paths-inside-" + std::to_string(::getpid()))) {
    fs::create_directories(root / "model");
    std::ofstream(root / "model" / "pipeline.yaml") << "inside: vocab.txt\noutside: ../elsewhere.txt\n";
  }
  ~Folder() { fs::remove_all(root); }
  fs::path root;
};

Section load(const fs::path& yaml) {
  LoadLimits limits;
  limits.paths_inside_base_dir = true;
  return load_file(yaml, limits);
}

TEST(PathsInsideBaseDir, AFileInsideARelativelyNamedFolderIsAccepted) {
  Folder f;
  const fs::path relative = fs::relative(f.root / "model" / "pipeline.yaml", fs::current_path());
  ASSERT_TRUE(relative.is_relative());
  const Section s = load(relative);
  EXPECT_EQ(fs::weakly_canonical(s.path_value("inside")), fs::weakly_canonical(f.root / "model" / "vocab.txt"));
  EXPECT_THROW(s.path_value("outside"), ConfigError);
}

TEST(PathsInsideBaseDir, AFileOutsideAnAbsolutelyNamedFolderIsRefusedNamingTheKey) {
  Folder f;
  const Section s = load(f.root / "model" / "pipeline.yaml");
  EXPECT_NO_THROW(s.path_value("inside"));
  try {
    s.path_value("outside");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("pipeline.yaml:2:10: outside: "), std::string::npos) << m;
    EXPECT_NE(m.find("resolves to " + (f.root / "elsewhere.txt").string()), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace recur::config
