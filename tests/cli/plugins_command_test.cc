// `recur plugins`: what is loaded, from where, and what was refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "recur/plugin/abi.h"
#include "run_recur.h"

namespace fs = std::filesystem;

namespace recur::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string dir_of(const std::string& name) {
  return fs::weakly_canonical(fs::path(RECUR_TEST_PLUGIN_DIR) / name).string();
}
std::string file_of(const std::string& dir, const std::string& name) {
  return dir_of(dir) + "/lib" + name + ".so";
}

// Leaves the built-in plugins (the real tokenizers, encoders, ...) out of the listing.
RunOptions only_test_plugins() {
  RunOptions o;
  o.env = {"RECUR_BUILTIN_PLUGINS=0"};
  return o;
}

TEST(PluginsCommand, ListsAPluginWithVersionFileAndComponents) {
  RunResult r = run_recur({"plugins", "--plugin-path", dir_of("good")}, only_test_plugins());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("plugins loaded: 1\n  good 1.2.3  " + file_of("good", "good") +
                               "\n    tokenizer/toy\n    encoder/toy\n"));
  EXPECT_THAT(r.out, HasSubstr("  " + dir_of("good") + " (--plugin-path)\n"));
  EXPECT_THAT(r.out, Not(HasSubstr("files refused")));
  EXPECT_EQ(r.err, "");
}

TEST(PluginsCommand, ListsRefusedFilesWithTheReasonAndCarriesOn) {
  RunResult r = run_recur({"plugins", "--plugin-path", dir_of("abi_minor"), "--plugin-path",
                           dir_of("mixed"), "--plugin-path", dir_of("no_such_dir")},
                          only_test_plugins());
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(
      r.out,
      HasSubstr("plugins loaded: 2\n  second 0.1.0  " + file_of("mixed", "bbb_second") +
                "\n    tokenizer/second\n  good 1.2.3  " + file_of("mixed", "ddd_good") + "\n"));
  auto line = [](const std::string& file, const std::string& reason) {
    return "  cannot load plugin " + file + ": " + reason + "\n";
  };
  const std::string refused =
      "files refused: 4\n" +
      line(file_of("abi_minor", "abi_minor"), "incompatible ABI (plugin: 4.5, recur: 4.4)") +
      line(file_of("mixed", "aaa_abi"), "incompatible ABI (plugin: 5.0, recur: 4.4)") +
      line(file_of("mixed", "ccc_throws"),
           "register_components failed: cannot open toy vocabulary") +
      line(dir_of("no_such_dir"), "no such file or directory");
  EXPECT_THAT(r.out, HasSubstr(refused));
  EXPECT_EQ(r.err, "") << "refusals are listed, not logged, by this command";
}

TEST(PluginsCommand, SearchesExplicitPathsBeforeRecurPluginPath) {
  RunOptions env = only_test_plugins();
  env.env.push_back("RECUR_PLUGIN_PATH=" + dir_of("good") + ":" + dir_of("toolchain"));
  RunResult r = run_recur({"plugins", "--plugin-path", dir_of("duplicate")}, env);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("  " + dir_of("duplicate") + " (--plugin-path)\n  " +
                               dir_of("good") + " (RECUR_PLUGIN_PATH)\n  " + dir_of("toolchain") +
                               " (RECUR_PLUGIN_PATH)\n"));
  EXPECT_THAT(r.out, HasSubstr("plugins loaded: 1\n  duplicate 1.0.0  "));
  EXPECT_THAT(r.out, HasSubstr("  cannot load plugin " + file_of("good", "good") +
                               ": duplicate tokenizer 'toy': registered by plugin 'duplicate' (" +
                               file_of("duplicate", "duplicate") +
                               ") and again by plugin 'good' (" + file_of("good", "good") + ")\n"));
  EXPECT_THAT(
      r.out,
      HasSubstr("incompatible toolchain (plugin: libc++/c++20, recur: " RECUR_TOOLCHAIN_TAG ")"));
}

// A copy of librecur in a fresh tree (found first through LD_LIBRARY_PATH) looks for
// its built-in plugins next to itself: <libdir>/recur/plugins.
TEST(PluginsCommand, BuiltInDirectoryFollowsLibrecurAndMayBeEmpty) {
  TempDir tree;
  const fs::path libdir = tree.path() / "lib";
  fs::create_directories(libdir);
  fs::copy_file(RECUR_LIBRARY, libdir / RECUR_LIBRARY_SONAME);
  RunOptions env;
  env.env = {"LD_LIBRARY_PATH=" + libdir.string()};
  const fs::path builtin = libdir / "recur" / "plugins";

  RunResult empty = run_recur({"plugins"}, env);
  EXPECT_EQ(empty.code, 0) << empty.err;
  EXPECT_EQ(empty.out,
            "search path:\n  " + builtin.string() + " (built-in, absent)\nno plugins loaded\n");

  fs::create_directories(builtin);
  fs::copy_file(file_of("good", "good"), builtin / "libgood.so");
  RunResult one = run_recur({"plugins"}, env);
  EXPECT_EQ(one.code, 0) << one.err;
  EXPECT_THAT(one.out, HasSubstr("  " + builtin.string() + " (built-in)\n"));
  EXPECT_THAT(one.out, HasSubstr("  good 1.2.3  " + (builtin / "libgood.so").string() + "\n"));
}

}  // namespace
}  // namespace recur::testing
