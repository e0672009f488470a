// End to end: `recur train` fits a small character language model to a slice of
// Moby-Dick (tests/data/moby-dick) with truncated BPTT, `--resume` from the middle of an
// epoch continues exactly (the carried state is in the checkpoint), `recur eval --metric
// bpc` reproduces the validation, `recur generate` is deterministic per seed and streams
// exactly --max-length characters, `recur run` completes lines; bad flags and bad text
// are errors naming them.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "cli/run_recur.h"
#include "recur/text/utf8.h"

namespace recur::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kData = RECUR_TEST_DATA_DIR "/moby-dick";

std::string pipeline_yaml(const fs::path& text, std::int64_t max_steps) {
  return "task: language_model\n"
         "target:\n  tokenizer: {plugin: char, corpus: " + (kData / "train.txt").string() + "}\n"
         "decoder: {plugin: lstm, embedding_size: 16, hidden_size: 32, layers: 2, dropout: 0.1}\n"
         "search: {temperature: 0.8}\n"
         "train:\n"
         "  data: {text: " + text.string() + ", valid_text: " + (kData / "valid.txt").string() +
         ", batch_size: 16, bptt: 32}\n"
         "  lr: 0.005\n  warmup_steps: 0\n  decay: constant\n  label_smoothing: 0.0\n"
         "  epochs: 5\n  max_steps: " + std::to_string(max_steps) + "\n"
         "  log_every: 5\n  valid_every: 10\n  metric: bpc\n  checkpoint_dir: ckpt\n  seed: 3\n";
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// train_log.csv without its last column (tokens per second, a timing).
std::string without_speed(const std::string& csv) {
  std::string out;
  for (const std::string& line : lines_of(csv)) out += line.substr(0, line.rfind(',')) + "\n";
  return out;
}

RunResult train(const fs::path& dir, std::int64_t max_steps, bool resume) {
  std::ofstream(dir / "lm.yaml") << pipeline_yaml(kData / "train.txt", max_steps);
  std::vector<std::string> args{"train", (dir / "lm.yaml").string(), "-o", (dir / "model").string(), "--threads",
                                "1"};
  if (resume) args.push_back("--resume");
  return run_recur(args);
}

// One test per trained model: every ctest case is its own process.
TEST(LmCli, ResumingInTheMiddleOfAnEpochEndsLikeAnUninterruptedRun) {
  TempDir straight, resumed;
  RunResult a = train(straight.path(), 30, false);
  ASSERT_EQ(a.code, 0) << a.err;
  RunResult b1 = train(resumed.path(), 20, false);  // stops at step 20 of 57 in epoch 1
  ASSERT_EQ(b1.code, 0) << b1.err;
  RunResult b2 = train(resumed.path(), 30, true);
  ASSERT_EQ(b2.code, 0) << b2.err;
  EXPECT_NE(b2.err.find("resumed from"), std::string::npos) << b2.err;
  EXPECT_EQ(without_speed(read(resumed.path() / "ckpt" / "train_log.csv")),
            without_speed(read(straight.path() / "ckpt" / "train_log.csv")));
  EXPECT_EQ(read(resumed.path() / "ckpt" / "valid_log.csv"), read(straight.path() / "ckpt" / "valid_log.csv"));
  EXPECT_TRUE(read(resumed.path() / "model" / "model.safetensors") ==
              read(straight.path() / "model" / "model.safetensors"));
}

TEST(LmCli, TrainEvalGenerateComplete) {
  TempDir dir;
  const fs::path model = dir.path() / "model";
  RunResult t = train(dir.path(), 60, false);
  ASSERT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.err.find("29940 characters"), std::string::npos) << t.err;
  EXPECT_NE(t.err.find(" tok/s | "), std::string::npos) << t.err;

  {
    SCOPED_TRACE("eval --metric bpc reproduces the best validation; it beats the uniform guess");
    RunResult e = run_recur({"eval", "--metric", "bpc", "-m", model.string(), "-i", (kData / "valid.txt").string(),
                             "--score-only"});
    ASSERT_EQ(e.code, 0) << e.err;
    const double bpc = std::stod(e.out);
    double best = 1e9;
    const auto rows = lines_of(read(dir.path() / "ckpt" / "valid_log.csv"));
    for (const std::string& row : rows) {
      const auto at = row.find("bpc=");
      if (at != std::string::npos) best = std::min(best, std::stod(row.substr(at + 4)));
    }
    EXPECT_NEAR(bpc, best, 1e-3) << read(dir.path() / "ckpt" / "valid_log.csv");
    EXPECT_LT(bpc, 6.0);  // log2 of the ~70 characters of the slice is 6.1
    RunResult full = run_recur({"eval", "--metric", "bpc", "-m", model.string(), "-i", (kData / "valid.txt").string()});
    EXPECT_NE(full.out.find("3975 characters, 3975 tokens, 74 lines"), std::string::npos) << full.out;
  }
  {
    SCOPED_TRACE("generate: the prompt, then exactly --max-length characters; the same seed, the same text");
    auto gen = [&](const std::string& seed) {
      return run_recur({"generate", "-m", model.string(), "--prompt", "Call me", "--max-length", "50", "--seed", seed,
                        "--threads", "1"});
    };
    RunResult g1 = gen("4"), g2 = gen("4"), g3 = gen("5");
    ASSERT_EQ(g1.code, 0) << g1.err;
    EXPECT_EQ(g1.out, g2.out);
    EXPECT_NE(g1.out, g3.out);
    ASSERT_EQ(g1.out.rfind("Call me", 0), 0u) << g1.out;
    ASSERT_EQ(g1.out.back(), '\n');
    const std::string generated = g1.out.substr(7, g1.out.size() - 8);
    EXPECT_EQ(text::decode_utf8(generated).size(), 50u) << g1.out;
  }
  {
    SCOPED_TRACE("--samples N --json: N objects, each its own sample");
    RunResult g = run_recur({"generate", "-m", model.string(), "--samples", "3", "--max-length", "20", "--json"});
    ASSERT_EQ(g.code, 0) << g.err;
    const auto out = lines_of(g.out);
    ASSERT_EQ(out.size(), 3u) << g.out;
    for (std::size_t k = 0; k < 3; ++k) {
      const auto j = nlohmann::json::parse(out[k]);
      EXPECT_EQ(j["sample"], k + 1);
      EXPECT_EQ(text::decode_utf8(j["text"].get<std::string>()).size(), 20u);
      EXPECT_LT(j["log_prob"].get<double>(), 0.0);
    }
    RunResult greedy = run_recur({"generate", "-m", model.string(), "--greedy", "--samples", "2", "--max-length", "20",
                                  "--json"});
    ASSERT_EQ(greedy.code, 0) << greedy.err;
    const auto g2 = lines_of(greedy.out);
    ASSERT_EQ(g2.size(), 2u);
    EXPECT_EQ(nlohmann::json::parse(g2[0])["text"], nlohmann::json::parse(g2[1])["text"]);  // no draw
  }
  {
    SCOPED_TRACE("recur run completes each line; a blank line keeps its place");
    const fs::path in = dir.path() / "prompts.txt";
    std::ofstream(in) << "Call me Ish\n\nThe whale\n";
    RunResult r = run_recur({"run", (model / "pipeline.yaml").string(), "-i", in.string()});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto out = lines_of(r.out);
    ASSERT_EQ(out.size(), 3u) << r.out;
    EXPECT_EQ(out[1], "");
    RunResult scored = run_recur({"run", (model / "pipeline.yaml").string(), "-i", in.string(), "--scores"});
    ASSERT_EQ(scored.code, 0) << scored.err;
    EXPECT_EQ(lines_of(scored.out)[0], out[0] + lines_of(scored.out)[0].substr(out[0].size()));
    EXPECT_NE(lines_of(scored.out)[0].find(" ||| -"), std::string::npos) << scored.out;
  }
  {
    SCOPED_TRACE("usage errors name the flag");
    RunResult g = run_recur({"generate", "-m", model.string(), "--greedy", "--temperature", "0.5"});
    EXPECT_EQ(g.code, 2) << g.err;
    EXPECT_NE(g.err.find("--greedy"), std::string::npos) << g.err;
    RunResult s = run_recur({"generate", "-m", model.string(), "--samples", "0"});
    EXPECT_EQ(s.code, 2) << s.err;
    EXPECT_NE(s.err.find("--samples"), std::string::npos) << s.err;
    RunResult p = run_recur({"generate", "-m", model.string(), "--top-p", "1.5"});
    EXPECT_EQ(p.code, 2) << p.err;
    EXPECT_NE(p.err.find("--top-p"), std::string::npos) << p.err;
    RunResult e = run_recur({"eval", "--metric", "bpc", "-m", model.string()});
    EXPECT_EQ(e.code, 2) << e.err;
    EXPECT_NE(e.err.find("--input"), std::string::npos) << e.err;
    RunResult mixed = run_recur({"eval", "--metric", "bpc", "--metric", "bleu", "-m", model.string(), "-i",
                                 (kData / "valid.txt").string()});
    EXPECT_EQ(mixed.code, 2) << mixed.err;
  }
}

TEST(LmCli, InvalidUtf8InTheTrainingTextNamesFileAndLine) {
  TempDir dir;
  const fs::path bad = dir.path() / "bad.txt";
  std::ofstream(bad, std::ios::binary) << "Call me Ishmael.\nSome years ago \xff never mind\n";
  std::ofstream(dir.path() / "lm.yaml") << pipeline_yaml(bad, 10);
  RunResult r = run_recur({"train", (dir.path() / "lm.yaml").string(), "-o", (dir.path() / "model").string()});
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find(bad.string() + ":2: invalid UTF-8"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace recur::testing
