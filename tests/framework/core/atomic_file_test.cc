#include "recur/core/atomic_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "recur/core/error.h"

namespace recur {
namespace {

namespace fs = std::filesystem;

struct Dir {
  fs::path path = fs::temp_directory_path() / ("recur_atomic_" + std::to_string(::getpid()));
  Dir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Dir() { fs::remove_all(path); }
};

std::string read(const fs::path& f) {
  std::ifstream in(f, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(AtomicFile, TemporaryNamesCarryThePidAndAreRecognised) {
  const fs::path a = temporary_path("/x/model.safetensors");
  const fs::path b = temporary_path("/x/model.safetensors");
  EXPECT_NE(a, b);
  const std::string prefix = "model.safetensors.tmp." + std::to_string(::getpid()) + ".";
  EXPECT_EQ(a.filename().string().rfind(prefix, 0), 0u) << a;
  EXPECT_EQ(temporary_owner(a), ::getpid());
  EXPECT_EQ(temporary_owner("dir/x.tmp.12.3"), 12);
  for (const char* other : {"x.tmp", "x.tmp.12", "x.tmp.12.", "x.tmp..3", ".tmp.12.3", "x.tmp.a.3",
                            "x.tmp.12.3b", "x.tmp.-1.3", "x.12.3", "model.safetensors"}) {
    EXPECT_FALSE(temporary_owner(other)) << other;
  }
}

TEST(AtomicFile, WritesReplaceTheTargetAndLeaveNoTemporary) {
  Dir dir;
  const fs::path f = dir.path / "log.csv";
  write_file_atomically(f, "one\n");
  write_file_atomically(f, "two\n");
  EXPECT_EQ(read(f), "two\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()), 1);
}

TEST(AtomicFile, AnUncommittedFileLeavesTheTargetAndNoTemporary) {
  Dir dir;
  const fs::path f = dir.path / "best.safetensors";
  write_file_atomically(f, "old");
  {
    AtomicFile file(f);
    file.write("new", 3);
    EXPECT_TRUE(fs::exists(file.temporary()));
  }
  EXPECT_EQ(read(f), "old");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator()), 1);
  EXPECT_THROW(write_file_atomically(dir.path / "missing" / "f", "x"), IoError);
}

TEST(AtomicFile, RemovesOnlyTemporariesOfProcessesThatAreGone) {
  Dir dir;
  // pid_max is at most 2^22: this process cannot exist.
  const fs::path dead = dir.path / "last.safetensors.tmp.99999999.4";
  const fs::path live = temporary_path(dir.path / "last.safetensors");
  const fs::path init = dir.path / "x.tmp.1.0";  // pid 1 is always running
  const fs::path unrelated = dir.path / "data.tmp";
  fs::create_directories(dir.path / "sub.tmp.99999999.1");
  for (const fs::path& f : {dead, live, init, unrelated}) std::ofstream(f) << "x";
  EXPECT_EQ(remove_stale_temporaries(dir.path), std::vector<fs::path>{dead});
  EXPECT_FALSE(fs::exists(dead));
  for (const fs::path& f : {live, init, unrelated}) EXPECT_TRUE(fs::exists(f)) << f;
  EXPECT_TRUE(fs::is_directory(dir.path / "sub.tmp.99999999.1"));  // files only
  EXPECT_TRUE(remove_stale_temporaries(dir.path / "missing").empty());
}

}  // namespace
}  // namespace recur
