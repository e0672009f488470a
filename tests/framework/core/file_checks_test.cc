#include "recur/core/file_checks.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "recur/core/error.h"

namespace recur {
namespace {

namespace fs = std::filesystem;

struct Dir {
  fs::path path = fs::temp_directory_path() / ("recur_file_checks_" + std::to_string(::getpid()));
  Dir() {
    fs::remove_all(path);
    fs::create_directories(path / "model" / "sub");
    fs::create_directories(path / "model-other");
    std::ofstream(path / "model" / "model.safetensors") << "x";
    std::ofstream(path / "model" / "sub" / "spm.model") << "x";
    std::ofstream(path / "outside.safetensors") << "x";
    std::ofstream(path / "model-other" / "w") << "x";
  }
  ~Dir() { fs::remove_all(path); }
};

std::string error_of(const fs::path& base, const fs::path& file) {
  try {
    check_inside(base, file);
  } catch (const IoError& e) {
    return e.what();
  }
  return "";
}

TEST(CheckInside, AcceptsFilesInsideTheFolder) {
  Dir d;
  const fs::path model = d.path / "model";
  EXPECT_EQ(check_inside(model, "model.safetensors"), fs::canonical(model / "model.safetensors"));
  EXPECT_EQ(error_of(model, "sub/spm.model"), "");
  EXPECT_EQ(error_of(model, "sub/../model.safetensors"), "");
  EXPECT_EQ(error_of(model, model / "model.safetensors"), "");  // absolute, but inside
  EXPECT_EQ(error_of(model, "not_yet_written.safetensors"), "");
  fs::create_directory_symlink(d.path / "model", d.path / "link");  // the folder via a link
  EXPECT_EQ(error_of(d.path / "link", "model.safetensors"), "");
}

TEST(CheckInside, RefusesPathsLeadingOutNamingWhereTheyResolve) {
  Dir d;
  const fs::path model = d.path / "model";
  const std::string outside = fs::canonical(d.path / "outside.safetensors").string();
  EXPECT_EQ(error_of(model, "../outside.safetensors"),
            "../outside.safetensors: outside " + model.string() + " (it resolves to " + outside + ")");
  EXPECT_NE(error_of(model, "/etc/passwd"), "");
  EXPECT_NE(error_of(model, "../model-other/w"), "");  // a sibling sharing a name prefix
  EXPECT_NE(error_of(model, "."), "");                  // the folder itself is no file
  EXPECT_NE(error_of(model, "sub/../../outside.safetensors"), "");
  // A symbolic link inside the folder pointing out of it.
  fs::create_symlink(d.path / "outside.safetensors", model / "link.safetensors");
  EXPECT_EQ(error_of(model, "link.safetensors"),
            "link.safetensors: outside " + model.string() + " (it resolves to " + outside + ")");
}

TEST(CheckRegularFile, RefusesFifosDevicesAndDirectoriesWithoutOpeningThem) {
  Dir d;
  EXPECT_NO_THROW(check_regular_file(d.path / "outside.safetensors"));
  const fs::path fifo = d.path / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  try {
    check_regular_file(fifo);
    ADD_FAILURE() << "a FIFO was accepted";
  } catch (const IoError& e) {
    EXPECT_EQ(std::string(e.what()), fifo.string() + ": not a regular file (a FIFO)");
  }
  EXPECT_THROW(check_regular_file("/dev/zero"), IoError);
  EXPECT_THROW(check_regular_file(d.path), IoError);
  EXPECT_THROW(check_regular_file(d.path / "missing"), IoError);
}

}  // namespace
}  // namespace recur
