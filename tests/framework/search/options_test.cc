// The one validation of search options, and the `search:` section read through it.
#include "recur/search/options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "framework/config/config_test_util.h"

namespace recur::search {
namespace {

using ::testing::HasSubstr;

// The key check() names for options changed by `f`, or "" if they pass.
template <class F>
std::string problem_key(F&& f) {
  Options o;
  f(o);
  auto p = check(o);
  return p ? p->key : "";
}

TEST(SearchOptions, DefaultsAreValid) {
  EXPECT_FALSE(check(Options{}));
  Options greedy_sampling;
  greedy_sampling.beam_size = 1;
  greedy_sampling.sampling = true;
  greedy_sampling.top_k = 40;
  greedy_sampling.top_p = 0.9f;
  EXPECT_FALSE(check(greedy_sampling));
}

TEST(SearchOptions, EachBadValueNamesItsKey) {
  EXPECT_EQ(problem_key([](Options& o) { o.beam_size = 0; }), "beam_size");
  EXPECT_EQ(problem_key([](Options& o) { o.beam_size = kMaxBeamSize + 1; }), "beam_size");
  EXPECT_EQ(problem_key([](Options& o) { o.beam_size = kMaxBeamSize; }), "");
  EXPECT_EQ(problem_key([](Options& o) { o.n_best = 0; }), "n_best");
  EXPECT_EQ(problem_key([](Options& o) { o.n_best = o.beam_size + 1; }), "n_best");
  EXPECT_EQ(problem_key([](Options& o) { o.length_penalty = -0.1f; }), "length_penalty");
  EXPECT_EQ(problem_key([](Options& o) { o.max_length_a = -1; }), "max_length_a");
  EXPECT_EQ(problem_key([](Options& o) { o.max_length_b = -1; }), "max_length_b");
  EXPECT_EQ(problem_key([](Options& o) { o.max_length_cap = 0; }), "max_length_cap");
  EXPECT_EQ(problem_key([](Options& o) { o.sampling = true; }), "sampling");  // beam 5
  EXPECT_EQ(problem_key([](Options& o) { o.temperature = 0; }), "temperature");
  EXPECT_EQ(problem_key([](Options& o) { o.top_k = -1; }), "top_k");
  EXPECT_EQ(problem_key([](Options& o) { o.top_p = 0; }), "top_p");
  EXPECT_EQ(problem_key([](Options& o) { o.top_p = 1.5f; }), "top_p");
}

TEST(SearchOptions, MessagesSayWhatWasExpectedAndFound) {
  Options o;
  o.beam_size = 100000;
  EXPECT_EQ(check(o)->message, "expected an integer from 1 to 128 (the maximum beam size), got 100000");
  o = Options{};
  o.top_p = 1.5f;
  EXPECT_EQ(check(o)->message, "expected a number in (0, 1] (1: no nucleus cut), got 1.5");
}

TEST(SearchOptions, ParsesTheShippedKeysOverTheBase) {
  using config::testing::parse;
  config::Section root = parse(
      "search: {beam_size: 4, length_penalty: 1.0, max_length_a: 2, max_length_b: 3}\n");
  Options base;
  base.eos_id = 7;
  Options o = parse_options(root.section("search"), base);
  EXPECT_EQ(o.beam_size, 4);
  EXPECT_EQ(o.length_penalty, 1.0f);
  EXPECT_EQ(o.max_length_a, 2.0f);
  EXPECT_EQ(o.max_length_b, 3);
  EXPECT_EQ(o.eos_id, 7);
  EXPECT_EQ(o.n_best, 1);

  Options s = parse_options(
      parse("search:\n  beam_size: 1\n  sampling: true\n  temperature: 0.7\n  top_k: 50\n"
            "  top_p: 0.9\n  seed: 12\n  no_repeat_ngram: 3\n  coverage_penalty: 0.2\n")
          .section("search"),
      Options{});
  EXPECT_TRUE(s.sampling);
  EXPECT_EQ(s.temperature, 0.7f);
  EXPECT_EQ(s.top_k, 50);
  EXPECT_EQ(s.top_p, 0.9f);
  EXPECT_EQ(s.seed, 12u);
  EXPECT_EQ(s.no_repeat_ngram, 3);
  EXPECT_EQ(s.coverage_penalty, 0.2f);
}

TEST(SearchOptions, AProblemNamesFileLineAndKeyPath) {
  using config::testing::config_error;
  using config::testing::parse;
  auto error = [](const std::string& yaml) {
    return config_error([&] { parse_options(parse(yaml).section("search"), Options{}); });
  };
  EXPECT_EQ(error("search:\n  beam_size: 0\n"),
            "pipeline.yaml:2:14: search.beam_size: expected an integer from 1 to 128 (the maximum "
            "beam size), got 0");
  EXPECT_THAT(error("search:\n  top_p: 2\n"), HasSubstr("pipeline.yaml:2:10: search.top_p: expected a number in (0, 1]"));
  EXPECT_THAT(error("search:\n  beam_size: 2\n  sampling: true\n"),
              HasSubstr("search.sampling: sampling needs a beam size of 1, got 2"));
  EXPECT_THAT(error("search:\n  beam_size: big\n"), HasSubstr("search.beam_size: expected an integer"));
  EXPECT_THAT(error("search:\n  beam: 5\n"), HasSubstr("search.beam"));
}

}  // namespace
}  // namespace recur::search
