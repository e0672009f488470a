// Plugins run in-process (issue 18, item 6): files others may write to are refused
// before dlopen, and a built-in component cannot be replaced unless allowed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "recur/plugin/host.h"

namespace fs = std::filesystem;

namespace recur {
namespace {

using ::testing::HasSubstr;

fs::path fixture(const std::string& name) {
  return fs::weakly_canonical(fs::path(RECUR_TEST_PLUGIN_DIR) / name / ("lib" + name + ".so"));
}

// A private copy of the "good" plugin in a fresh directory, whose modes a test changes.
struct Copy {
  fs::path dir = fs::temp_directory_path() /
                 ("recur_trust_" + std::to_string(::getpid()) + "_" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::path file = dir / "libgood.so";
  Copy() {
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms(0755));
    fs::copy_file(fixture("good"), file);
    fs::permissions(file, fs::perms(0644));
  }
  ~Copy() { fs::remove_all(dir); }
};

std::string refusal(PluginHost& host, const fs::path& file) {
  try {
    host.load_file(file);
  } catch (const PluginError& e) {
    return e.what();
  }
  return "(loaded)";
}

TEST(PluginTrust, AFileWritableByOthersIsRefusedBeforeDlopen) {
  Copy c;
  fs::permissions(c.file, fs::perms(0666));
  PluginHost host;
  EXPECT_EQ(refusal(host, c.file),
            "cannot load plugin " + c.file.string() + ": " + c.file.string() +
                " is writable by others (mode 0666); refusing to load code anyone else may "
                "have changed");
  EXPECT_TRUE(host.plugins().empty());
  fs::permissions(c.file, fs::perms(0644));
  EXPECT_EQ(refusal(host, c.file), "(loaded)");
}

TEST(PluginTrust, ADirectoryWritableByOthersIsRefusedSoIsItsPlugin) {
  Copy c;
  fs::permissions(c.dir, fs::perms(01777));  // sticky like /tmp: refused all the same
  PluginHost host;
  host.load_path(c.dir);
  ASSERT_EQ(host.refused().size(), 1u);
  EXPECT_THAT(host.refused()[0].reason,
              HasSubstr(": " + c.dir.string() + " is writable by others (mode 1777)"));
  EXPECT_TRUE(host.plugins().empty());
}

// Whoever may write to a directory chooses what a symbolic link in it points to.
TEST(PluginTrust, ALinkInADirectoryWritableByOthersIsRefused) {
  Copy safe;
  const fs::path open_dir = safe.dir.string() + "_open";
  fs::remove_all(open_dir);
  fs::create_directories(open_dir);
  fs::permissions(open_dir, fs::perms(0777));
  fs::create_symlink(safe.file, open_dir / "libgood.so");
  PluginHost host;
  host.load_path(open_dir);
  ASSERT_EQ(host.refused().size(), 1u);
  EXPECT_THAT(host.refused()[0].reason,
              HasSubstr(": " + open_dir.string() + " is writable by others (mode 0777)"));
  fs::remove_all(open_dir);
}

TEST(PluginTrust, GroupWritableIsRefusedUnlessTheGroupIsOursOrRoots) {
  Copy c;
  fs::permissions(c.file, fs::perms(0664));
  ASSERT_EQ(::chown(c.file.c_str(), static_cast<uid_t>(-1), ::getgid()), 0);
  PluginHost ours;
  EXPECT_EQ(refusal(ours, c.file), "(loaded)");
  // Another group can be given only by root (or a member of it).
  const gid_t other = ::getgid() == 65534 ? 65533 : 65534;
  if (::chown(c.file.c_str(), static_cast<uid_t>(-1), other) != 0) {
    GTEST_SKIP() << "cannot give the file another group here";
  }
  fs::permissions(c.file, fs::perms(0664));  // chown may clear mode bits
  PluginHost host;
  EXPECT_THAT(refusal(host, c.file),
              HasSubstr(c.file.string() + " is writable by its group " + std::to_string(other) +
                        ", neither root's nor this process's (mode 0664)"));
}

TEST(PluginTrust, ABuiltInComponentIsNotReplacedUnlessAllowed) {
  PluginHost host;
  host.load_path(fixture("good").parent_path(), SearchDir::Origin::builtin);
  ASSERT_EQ(host.plugins().size(), 1u);
  EXPECT_EQ(host.plugins()[0].origin, SearchDir::Origin::builtin);
  EXPECT_EQ(refusal(host, fixture("duplicate")),
            "cannot load plugin " + fixture("duplicate").string() +
                ": tokenizer 'toy' is provided by the built-in plugin 'good' (" +
                fixture("good").string() +
                "); a plugin may not replace a built-in component unless allowed "
                "(--allow-plugin-override)");
  EXPECT_FALSE(host.registry().contains("encoder", "dup_extra"));
  EXPECT_EQ(host.registry().find("tokenizer", "toy").plugin, "good");
}

}  // namespace
}  // namespace recur
