// Typed reads: every getter, its accepted values and its exact error messages.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "config_test_util.h"

namespace recur::config::testing {
namespace {

// One key `v` holding `value`, read by `read`; returns the error message.
template <class F>
std::string value_error(const std::string& value, F&& read) {
  Section s = parse("v: " + value + "\n");
  return config_error([&] { read(s); });
}

TEST(ConfigValues, Strings) {
  Section s = parse("a: hello world\nb: \"12\"\nc: ''\nd: 12\n");
  EXPECT_EQ(s.get<std::string>("a"), "hello world");
  EXPECT_EQ(s.get<std::string>("b"), "12");
  EXPECT_EQ(s.get<std::string>("c"), "");
  EXPECT_EQ(s.get<std::string>("d"), "12");
  EXPECT_EQ(s.get<std::string>("e", "dflt"), "dflt");
  EXPECT_EQ(value_error("[a]", [](Section& s) { s.get<std::string>("v"); }),
            "pipeline.yaml:1:4: v: expected a string, got a sequence");
  EXPECT_EQ(value_error("{a: 1}", [](Section& s) { s.get<std::string>("v"); }),
            "pipeline.yaml:1:4: v: expected a string, got a mapping");
}

TEST(ConfigValues, Bools) {
  Section s = parse("a: true\nb: False\nc: TRUE\n");
  EXPECT_TRUE(s.get<bool>("a"));
  EXPECT_FALSE(s.get<bool>("b"));
  EXPECT_TRUE(s.get<bool>("c"));
  EXPECT_FALSE(s.get<bool>("d", false));
  for (auto bad : {"yes", "no", "on", "1"}) {
    EXPECT_EQ(value_error(bad, [](Section& s) { s.get<bool>("v"); }),
              std::string("pipeline.yaml:1:4: v: expected true or false, got \"") + bad + "\"");
  }
}

TEST(ConfigValues, Integers) {
  Section s = parse("a: 12\nb: -3\nc: \"7\"\nd: 9223372036854775807\n");
  EXPECT_EQ(s.get<int>("a"), 12);
  EXPECT_EQ(s.get<int>("b"), -3);
  EXPECT_EQ(s.get<int>("c"), 7);  // quoting is YAML syntax; the text is the value
  EXPECT_EQ(s.get<std::int64_t>("d"), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(s.get<int>("e", 5), 5);
  EXPECT_EQ(value_error("1.5", [](Section& s) { s.get<int>("v"); }),
            "pipeline.yaml:1:4: v: expected an integer, got \"1.5\"");
  EXPECT_EQ(value_error("12abc", [](Section& s) { s.get<std::int64_t>("v"); }),
            "pipeline.yaml:1:4: v: expected an integer, got \"12abc\"");
  EXPECT_EQ(value_error("3000000000", [](Section& s) { s.get<int>("v"); }),
            "pipeline.yaml:1:4: v: expected an integer in [-2147483648, 2147483647], got \"3000000000\"");
  EXPECT_EQ(value_error("9223372036854775808", [](Section& s) { s.get<std::int64_t>("v"); }),
            "pipeline.yaml:1:4: v: expected an integer in [-9223372036854775808, 9223372036854775807], "
            "got \"9223372036854775808\"");
  EXPECT_EQ(value_error("", [](Section& s) { s.get<int>("v"); }),
            "pipeline.yaml:1:1: v: expected an integer, got null");
}

TEST(ConfigValues, Reals) {
  Section s = parse("a: 0.25\nb: 3\nc: 1e-4\nd: -2.5E2\n");
  EXPECT_EQ(s.get<double>("a"), 0.25);
  EXPECT_EQ(s.get<double>("b"), 3.0);
  EXPECT_EQ(s.get<float>("c"), 1e-4f);
  EXPECT_EQ(s.get<double>("d"), -250.0);
  EXPECT_EQ(s.get<float>("e", 0.5f), 0.5f);
  EXPECT_EQ(value_error("fast", [](Section& s) { s.get<double>("v"); }),
            "pipeline.yaml:1:4: v: expected a number, got \"fast\"");
  EXPECT_EQ(value_error(".nan", [](Section& s) { s.get<double>("v"); }),
            "pipeline.yaml:1:4: v: expected a number, got \".nan\"");
  EXPECT_EQ(value_error("1e39", [](Section& s) { s.get<float>("v"); }),
            "pipeline.yaml:1:4: v: expected a number within the range of float, got \"1e39\"");
  EXPECT_EQ(value_error("1e999", [](Section& s) { s.get<double>("v"); }),
            "pipeline.yaml:1:4: v: expected a number within the range of double, got \"1e999\"");
}

TEST(ConfigValues, Positive) {
  Section s = parse("a: 4\nb: 0.5\nc: 1\n");
  EXPECT_EQ(s.positive<int>("a"), 4);
  EXPECT_EQ(s.positive<double>("b"), 0.5);
  EXPECT_EQ(s.positive<std::int64_t>("c"), 1);
  EXPECT_EQ(s.positive<float>("d", 2.0f), 2.0f);
  Section dec = parse("decoder:\n  hidden_size: big\n").section("decoder");
  EXPECT_EQ(config_error([&] { dec.positive<std::int64_t>("hidden_size", 256); }),
            "pipeline.yaml:2:16: decoder.hidden_size: expected a positive integer, got \"big\"");
  for (auto bad : {"0", "-3", "1.5"}) {
    EXPECT_EQ(value_error(bad, [](Section& s) { s.positive<int>("v"); }),
              std::string("pipeline.yaml:1:4: v: expected a positive integer, got \"") + bad + "\"");
  }
  EXPECT_EQ(value_error("0.0", [](Section& s) { s.positive<double>("v"); }),
            "pipeline.yaml:1:4: v: expected a positive number, got \"0.0\"");
  EXPECT_EQ(value_error("3000000000", [](Section& s) { s.positive<int>("v"); }),
            "pipeline.yaml:1:4: v: expected a positive integer in [1, 2147483647], got \"3000000000\"");
}

TEST(ConfigValues, NonNegative) {
  Section s = parse("a: 0\nb: 0.0\n");
  EXPECT_EQ(s.non_negative<int>("a"), 0);
  EXPECT_EQ(s.non_negative<double>("b"), 0.0);
  EXPECT_EQ(s.non_negative<std::int64_t>("c", 7), 7);
  EXPECT_EQ(value_error("-1", [](Section& s) { s.non_negative<std::int64_t>("v"); }),
            "pipeline.yaml:1:4: v: expected a non-negative integer, got \"-1\"");
  EXPECT_EQ(value_error("-0.1", [](Section& s) { s.non_negative<float>("v"); }),
            "pipeline.yaml:1:4: v: expected a non-negative number, got \"-0.1\"");
}

TEST(ConfigValues, InRange) {
  Section s = parse("p: 0.1\nq: 1\nr: 0\n");
  EXPECT_EQ(s.in_range("p", 0, 1), 0.1);
  EXPECT_EQ(s.in_range("q", 0, 1), 1.0);
  EXPECT_EQ(s.in_range("r", 0, 1), 0.0);
  EXPECT_EQ(s.in_range("s", 0, 1, 0.3), 0.3);
  EXPECT_EQ(value_error("1.5", [](Section& s) { s.in_range("v", 0, 1); }),
            "pipeline.yaml:1:4: v: expected a number in [0, 1], got \"1.5\"");
  EXPECT_EQ(value_error("high", [](Section& s) { s.in_range("v", -0.5, 2.25); }),
            "pipeline.yaml:1:4: v: expected a number in [-0.5, 2.25], got \"high\"");
}

TEST(ConfigValues, OneOf) {
  Section s = parse("attention: mlp\n");
  EXPECT_EQ(s.one_of("attention", {"dot", "general", "mlp"}), "mlp");
  EXPECT_EQ(s.one_of("cell", {"gru", "lstm"}, "gru"), "gru");
  EXPECT_EQ(value_error("Dot", [](Section& s) { s.one_of("v", {"dot", "general", "mlp"}); }),
            "pipeline.yaml:1:4: v: expected one of (dot, general, mlp), got \"Dot\"");
  EXPECT_EQ(value_error("[dot]", [](Section& s) { s.one_of("v", {"dot"}); }),
            "pipeline.yaml:1:4: v: expected one of (dot), got a sequence");
}

TEST(ConfigValues, PathsResolveAgainstTheFileDirectory) {
  Section s = parse("rel: spm/en.model\nabs: /opt/fr.model\nup: ../shared/vocab.txt\nempty: ''\n");
  EXPECT_EQ(s.base_dir(), std::filesystem::path("models/en-fr"));
  EXPECT_EQ(s.path_value("rel"), std::filesystem::path("models/en-fr/spm/en.model"));
  EXPECT_EQ(s.path_value("abs"), std::filesystem::path("/opt/fr.model"));
  EXPECT_EQ(s.path_value("up"), std::filesystem::path("models/en-fr/../shared/vocab.txt"));
  // A relative default resolves like a written value; an empty default stays empty.
  EXPECT_EQ(s.path_value("none", std::filesystem::path("x.bin")), std::filesystem::path("models/en-fr/x.bin"));
  EXPECT_EQ(s.path_value("none", std::filesystem::path("/x.bin")), std::filesystem::path("/x.bin"));
  EXPECT_EQ(s.path_value("none", std::filesystem::path()), std::filesystem::path());
  EXPECT_EQ(config_error([&] { s.path_value("empty"); }), "pipeline.yaml:4:8: empty: expected a path, got \"\"");
  Section here = load_string("p: a.txt\n", "inline", "");
  EXPECT_EQ(here.path_value("p"), std::filesystem::path("a.txt"));
}

TEST(ConfigValues, Lists) {
  Section s = parse("ints: [1, 2, 3]\nwords:\n  - en\n  - fr\nreals: [0.5, 1]\nflags: [true, false]\nnone: []\n");
  EXPECT_EQ(s.list<int>("ints"), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(s.list<std::int64_t>("ints"), (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(s.list<std::string>("words"), (std::vector<std::string>{"en", "fr"}));
  EXPECT_EQ(s.list<double>("reals"), (std::vector<double>{0.5, 1.0}));
  EXPECT_EQ(s.list<float>("reals"), (std::vector<float>{0.5f, 1.0f}));
  EXPECT_EQ(s.list<bool>("flags"), (std::vector<bool>{true, false}));
  EXPECT_TRUE(s.list<int>("none").empty());
  EXPECT_EQ(s.list<int>("absent", std::vector<int>{9}), (std::vector<int>{9}));
  EXPECT_EQ(config_error([&] { s.list<int>("words"); }),
            "pipeline.yaml:3:5: words[0]: expected an integer, got \"en\"");
  EXPECT_EQ(value_error("[1, [2]]", [](Section& s) { s.list<int>("v"); }),
            "pipeline.yaml:1:8: v[1]: expected an integer, got a sequence");
  EXPECT_EQ(value_error("3", [](Section& s) { s.list<int>("v"); }),
            "pipeline.yaml:1:4: v: expected a sequence, got \"3\"");
  EXPECT_EQ(config_error([&] { s.list<int>("absent"); }), "pipeline.yaml:1:1: absent: required key is missing");
}

TEST(ConfigValues, EveryRequiredGetterReportsAMissingKey) {
  Section s = parse("x: 1\n");
  const std::string missing = "pipeline.yaml:1:1: k: required key is missing";
  EXPECT_EQ(config_error([&] { s.get<bool>("k"); }), missing);
  EXPECT_EQ(config_error([&] { s.get<float>("k"); }), missing);
  EXPECT_EQ(config_error([&] { s.get<std::string>("k"); }), missing);
  EXPECT_EQ(config_error([&] { s.positive<double>("k"); }), missing);
  EXPECT_EQ(config_error([&] { s.non_negative<int>("k"); }), missing);
  EXPECT_EQ(config_error([&] { s.in_range("k", 0, 1); }), missing);
  EXPECT_EQ(config_error([&] { s.one_of("k", {"a"}); }), missing);
  EXPECT_EQ(config_error([&] { s.path_value("k"); }), missing);
}

}  // namespace
}  // namespace recur::config::testing
