// kill -9 during `recur train`, at random moments, then `--resume`, again and again: the
// logs, checkpoints and model equal those of a run never interrupted (issue 18, item 8).
// Set RECUR_KILL_SEED to replay the moments of a failing run.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "cli/run_recur.h"

namespace recur::testing {
namespace {

namespace fs = std::filesystem;

// Two epochs of 9 batches, a validation every 4 steps, a log row every 3 (so windows
// straddle checkpoints), on a model small enough for a few seconds per run.
std::string pipeline_yaml(const fs::path& data, const fs::path& dir) {
  const std::string en = (data / "en-fr.train.en").string();
  const std::string fr = (data / "en-fr.train.fr").string();
  return "task: translation\n"
         "source:\n  tokenizer: {plugin: whitespace, corpus: " + en + ", max_size: 200}\n"
         "target:\n  tokenizer: {plugin: whitespace, corpus: " + fr + ", max_size: 200}\n"
         "encoder: {plugin: bilstm, embedding_size: 8, hidden_size: 8, layers: 1, dropout: 0.1}\n"
         "decoder: {plugin: gru, embedding_size: 8, hidden_size: 8, attention: general, dropout: 0.1}\n"
         "search: {beam_size: 1, max_length_a: 1.0, max_length_b: 3}\n"
         "max_source_length: 32\n"
         "train:\n"
         "  data: {source: " + en + ", target: " + fr + ", valid_source: " +
         (dir / "valid.en").string() + ", valid_target: " + (dir / "valid.fr").string() +
         ", max_length: 32, valid_bleu_lines: 5}\n"
         "  batch_tokens: 400\n  lr: 0.01\n  epochs: 2\n  max_steps: 16\n  log_every: 3\n"
         "  valid_every: 4\n  checkpoint_dir: ckpt\n  seed: 3\n";
}

void write_head(const fs::path& from, const fs::path& to, int lines) {
  std::ifstream in(from);
  std::ofstream out(to);
  std::string line;
  for (int i = 0; i < lines && std::getline(in, line); ++i) out << line << '\n';
}

fs::path make_run_dir(const fs::path& root, const std::string& name) {
  const fs::path dir = root / name;
  fs::create_directories(dir);
  const fs::path data = RECUR_TEST_DATA_DIR "/ddtp";
  write_head(data / "sample-test.en", dir / "valid.en", 20);
  write_head(data / "sample-test.fr", dir / "valid.fr", 20);
  std::ofstream(dir / "tiny.yaml") << pipeline_yaml(data, dir);
  return dir;
}

RunResult train(const fs::path& dir, bool resume, std::optional<std::chrono::milliseconds> kill) {
  std::vector<std::string> args{"train", (dir / "tiny.yaml").string(), "-o", (dir / "model").string()};
  if (resume) args.push_back("--resume");
  RunOptions o;
  o.kill_after = kill;
  return run_recur(args, o);
}

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// train_log.csv without tokens_per_s, a timing.
std::string without_speed(const std::string& csv) {
  std::istringstream in(csv);
  std::string out, line;
  while (std::getline(in, line)) out += line.substr(0, line.rfind(',')) + "\n";
  return out;
}

TEST(TrainKill, KilledAndResumedRunsEndExactlyLikeAnUninterruptedOne) {
  TempDir root;
  const fs::path straight = make_run_dir(root.path(), "straight");
  const auto start = std::chrono::steady_clock::now();
  RunResult r = train(straight, false, std::nullopt);
  ASSERT_EQ(r.code, 0) << r.err;
  const auto full = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);

  const char* seed_env = std::getenv("RECUR_KILL_SEED");
  const unsigned seed = seed_env ? static_cast<unsigned>(std::atoi(seed_env)) : std::random_device{}();
  SCOPED_TRACE("RECUR_KILL_SEED=" + std::to_string(seed));
  std::mt19937 rng(seed);
  // Kill within the first 60% of a full run's time (start-up included), so that the
  // first attempt at least is killed however the machine's load varies. An attempt that
  // finishes is fine: the next resumes a finished run, which must change nothing.
  std::uniform_int_distribution<long> moment(full.count() / 20, full.count() * 6 / 10);

  const fs::path killed = make_run_dir(root.path(), "killed");
  int kills = 0;
  for (int attempt = 0; attempt < 4; ++attempt) {
    const bool resume = fs::exists(killed / "ckpt" / "last.safetensors");
    RunResult k = train(killed, resume, std::chrono::milliseconds(moment(rng)));
    if (k.killed) {
      ++kills;
    } else {
      ASSERT_EQ(k.code, 0) << k.err;
    }
  }
  RunResult last = train(killed, fs::exists(killed / "ckpt" / "last.safetensors"), std::nullopt);
  ASSERT_EQ(last.code, 0) << last.err;
  EXPECT_GE(kills, 1);

  EXPECT_EQ(without_speed(read(killed / "ckpt" / "train_log.csv")),
            without_speed(read(straight / "ckpt" / "train_log.csv")));
  EXPECT_EQ(read(killed / "ckpt" / "valid_log.csv"), read(straight / "ckpt" / "valid_log.csv"));
  for (const char* file : {"ckpt/last.safetensors", "ckpt/best.safetensors", "model/model.safetensors"}) {
    EXPECT_TRUE(read(killed / file) == read(straight / file)) << file << " differs";
  }
  for (const auto& e : fs::directory_iterator(killed / "ckpt")) {
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos)
        << "left behind: " << e.path();
  }
}

}  // namespace
}  // namespace recur::testing
