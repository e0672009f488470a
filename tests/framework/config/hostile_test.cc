// Hostile inputs: each must end in a ConfigError, quickly, without a crash, a stack
// overflow or a hang. The time bound only tells a hang from work: each case takes at
// most ~0.25 s in a release build and ~2.5 s in a Debug ASan build on a busy machine.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "config_test_util.h"

namespace recur::config::testing {
namespace {

constexpr double kQuickSeconds = 10.0;

// The error of loading `text`, and a check that it came quickly.
std::string timed_error(const std::string& text, const LoadLimits& limits = {}) {
  auto start = std::chrono::steady_clock::now();
  std::string message = load_error(text, limits);
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took.count(), kQuickSeconds) << message;
  return message;
}

std::string repeat(std::string_view unit, std::size_t n) {
  std::string out;
  out.reserve(unit.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += unit;
  return out;
}

TEST(ConfigHostile, BillionLaughsStopsAtTheFirstAnchor) {
  std::string text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    std::string prev(1, static_cast<char>(c - 1));
    text += std::string(1, c) + ": &" + c + " [" + repeat("*" + prev + ",", 8) + "*" + prev + "]\n";
  }
  EXPECT_EQ(timed_error(text),
            "pipeline.yaml:1:4: a: anchor '&a' is not allowed (recur YAML has no anchors or aliases)");
}

TEST(ConfigHostile, HundredThousandNestedSequences) {
  std::string depth32 = repeat("[0]", 31);
  EXPECT_EQ(timed_error("a: " + repeat("[", 100000) + "1" + repeat("]", 100000) + "\n"),
            "pipeline.yaml:1:35: a" + depth32 + ": nesting deeper than 32 levels");
  // Unclosed, yaml-cpp reads the inner "[" as a flow key; still an error, still quick.
  EXPECT_EQ(timed_error("a: " + repeat("[", 100000)),
            "pipeline.yaml:1:5: a[0]: a mapping key must be a scalar, got a sequence");
  EXPECT_EQ(timed_error(repeat("[", 100000)), "pipeline.yaml:1:1: a mapping key must be a scalar, got a sequence");
}

TEST(ConfigHostile, FiftyThousandNestedFlowMappings) {
  std::string message = timed_error(repeat("{a: ", 50000) + "1" + repeat("}", 50000));
  EXPECT_EQ(message, "pipeline.yaml:1:129: " + std::string("a") + repeat(".a", 31) +
                         ": nesting deeper than 32 levels");
  EXPECT_EQ(timed_error(repeat("{a: ", 50000)), "pipeline.yaml:1:1: a mapping key must be a scalar, got a mapping");
}

TEST(ConfigHostile, LargestAcceptedFileOfBrackets) {
  // The worst case for yaml-cpp's token buffering, at the size limit.
  LoadLimits limits;
  EXPECT_EQ(timed_error(repeat("[", limits.max_file_bytes)),
            "pipeline.yaml:1:1: a mapping key must be a scalar, got a sequence");
}

TEST(ConfigHostile, YamlCppOwnDepthLimitBacksARaisedOne) {
  LoadLimits deep;
  deep.max_depth = 1 << 30;
  std::string message = timed_error("a: " + repeat("[", 5000) + repeat("]", 5000), deep);
  EXPECT_EQ(message, "pipeline.yaml:1:10004: nesting deeper than 500 levels");
}

TEST(ConfigHostile, DeepBlockMappings) {
  std::string text;
  for (int depth = 0; depth < 400; ++depth) text += std::string(2 * depth, ' ') + "k:\n";
  std::string message = timed_error(text);
  EXPECT_EQ(message.rfind("pipeline.yaml:33:65: k.k.k.", 0), 0u) << message;
  EXPECT_NE(message.find(": nesting deeper than 32 levels"), std::string::npos) << message;
}

TEST(ConfigHostile, DepthLimitIsExact) {
  // Root mapping + 31 nested = 32 levels: accepted; one more is refused.
  std::string ok = repeat("{a: ", 32) + "1" + repeat("}", 32);
  EXPECT_NO_THROW(parse(ok));
  std::string deep = repeat("{a: ", 33) + "1" + repeat("}", 33);
  EXPECT_NE(load_error(deep).find("nesting deeper than 32 levels"), std::string::npos);
  LoadLimits shallow;
  shallow.max_depth = 2;
  EXPECT_EQ(load_error("a: {b: {c: 1}}\n", shallow), "pipeline.yaml:1:8: a.b: nesting deeper than 2 levels");
}

TEST(ConfigHostile, TooManyNodes) {
  std::string text = "a: [" + repeat("1,", 100000) + "1]\n";
  EXPECT_EQ(timed_error(text), "pipeline.yaml:1:199999: more than 100000 YAML nodes");
  LoadLimits small;
  small.max_nodes = 5;
  EXPECT_EQ(load_error("a: 1\nb: 2\nc: 3\n", small), "pipeline.yaml:3:1: more than 5 YAML nodes");
  EXPECT_NO_THROW(parse("a: 1\nb: 2\n", small));
}

TEST(ConfigHostile, HugeStringIsRefusedBeforeParsing) {
  std::string text = "a: \"" + std::string(5 << 20, 'x') + "\"\n";
  EXPECT_EQ(timed_error(text), "pipeline.yaml: file is 5242886 bytes, more than the limit of 262144 bytes");
  LoadLimits tiny;
  tiny.max_file_bytes = 4;
  EXPECT_EQ(load_error("a: 12\n", tiny), "pipeline.yaml: file is 6 bytes, more than the limit of 4 bytes");
}

TEST(ConfigHostile, HugeFileIsRefusedBeforeReading) {
  auto dir = std::filesystem::temp_directory_path() / ("recur_config_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto file = dir / "huge.yaml";
  {
    std::ofstream out(file, std::ios::binary);
    std::string line = "# padding padding padding padding padding padding padding padding\n";
    for (std::size_t n = 0; n < (5u << 20); n += line.size()) out << line;
  }
  auto size = std::filesystem::file_size(file);
  std::string message = config_error([&] { load_file(file); });
  EXPECT_EQ(message, file.string() + ": file is " + std::to_string(size) +
                         " bytes, more than the limit of 262144 bytes");
  std::filesystem::remove_all(dir);
}

TEST(ConfigHostile, EndlessFileIsReadOnlyUpToTheLimit) {
  if (!std::filesystem::exists("/dev/zero")) GTEST_SKIP() << "no /dev/zero";
  LoadLimits small;
  small.max_file_bytes = 1 << 16;
  EXPECT_EQ(config_error([&] { load_file("/dev/zero", small); }),
            "/dev/zero: file is larger than the limit of 65536 bytes");
}

TEST(ConfigHostile, BinaryGarbageIsAnError) {
  std::string text;
  for (int i = 0; i < 4096; ++i) text += static_cast<char>((i * 7919) % 256);
  // yaml-cpp names the bad byte; the message shows it escaped.
  EXPECT_EQ(timed_error(text), "pipeline.yaml:1:3: unknown escape character: \\xef");
}

}  // namespace
}  // namespace recur::config::testing
