#include <gtest/gtest.h>

#include "recur/plugin/host.h"

namespace fs = std::filesystem;

namespace recur {
namespace {

TEST(PluginSearchPath, ExplicitThenEnvironmentThenBuiltIn) {
  auto dirs = plugin_search_path({"/x", "/y/libp.so"}, "/e1::/e2:");
  ASSERT_EQ(dirs.size(), 5u);
  EXPECT_EQ(dirs[0].path, "/x");
  EXPECT_EQ(dirs[0].origin, SearchDir::Origin::explicit_path);
  EXPECT_EQ(dirs[1].path, "/y/libp.so");
  EXPECT_EQ(dirs[2].path, "/e1");  // empty entries never mean the current directory
  EXPECT_EQ(dirs[2].origin, SearchDir::Origin::environment);
  EXPECT_EQ(dirs[3].path, "/e2");
  EXPECT_EQ(dirs[4].path, builtin_plugin_dir());
  EXPECT_EQ(dirs[4].origin, SearchDir::Origin::builtin);
  EXPECT_STREQ(origin_name(dirs[4].origin), "built-in");
}

TEST(PluginSearchPath, NoEnvironmentAndNoExplicitPathsLeavesTheBuiltInDirectory) {
  EXPECT_EQ(plugin_search_path({}, nullptr).size(), 1u);
  EXPECT_EQ(plugin_search_path({}, "").size(), 1u);
  EXPECT_EQ(plugin_search_path({}, ":::").size(), 1u);
}

TEST(PluginSearchPath, BuiltInDirectoryIsThePluginDirectoryOfThisBuildTree) {
  // Found from where librecur.so was loaded, not from a path compiled into it.
  EXPECT_EQ(fs::weakly_canonical(builtin_plugin_dir()),
            fs::weakly_canonical(RECUR_BUILD_PLUGIN_DIR));
}

}  // namespace
}  // namespace recur
